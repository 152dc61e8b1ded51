package seed

import "strings"

var maleFirst = strings.Fields(`Александр Алексей Андрей Антон Артём Борис Вадим Валерий Василий
Виктор Виталий Владимир Владислав Вячеслав Геннадий Георгий Глеб Григорий Денис Дмитрий
Евгений Егор Иван Игорь Илья Кирилл Константин Леонид Максим Михаил Никита Николай Олег
Павел Пётр Роман Руслан Сергей Станислав Степан Тимофей Фёдор Юрий Ярослав`)

var femaleFirst = strings.Fields(`Александра Алина Алла Анастасия Анна Валентина Валерия Вера
Виктория Галина Дарья Евгения Екатерина Елена Елизавета Жанна Инна Ирина Карина Ксения
Лариса Любовь Людмила Маргарита Марина Мария Надежда Наталья Нина Оксана Ольга Полина
Светлана Софья Татьяна Ульяна Юлия Яна`)

// lastNames are masculine forms ending in -ов/-ев/-ин/-ский, so that the
// feminine form is regular (see feminine).
var lastNames = strings.Fields(`Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов
Новиков Фёдоров Морозов Волков Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев
Орлов Андреев Макаров Никитин Захаров Зайцев Соловьёв Борисов Яковлев Григорьев Романов
Воробьёв Сергеев Кузьмин Фролов Александров Дмитриев Королёв Гусев Киселёв Ильин Максимов
Поляков Сорокин Виноградов Ковалёв Белов Медведев Антонов Тарасов Жуков Баранов Филиппов
Комаров Давыдов Беляев Герасимов Богданов Осипов Сидоров Матвеев Титов Марков Миронов Крылов
Куликов Карпов Власов Мельников Денисов Гаврилов Тихонов Казаков Афанасьев Данилов Савельев
Тимофеев Фомин Чернов Абрамов Мартынов Ефимов Федотов Щербаков Назаров Калинин Исаев Быков
Маслов Родионов Коновалов Лазарев Воронин Климов Филатов Пономарёв Голубев Кудрявцев Прохоров
Наумов Потапов Журавлёв Овчинников Трофимов Леонов Соболев Ермаков Колесников Гончаров
Емельянов Никифоров Грачёв Котов Гришин Ефремов Архипов Громов Кириллов Малышев Панов Моисеев
Румянцев Акимов Кондратьев Бирюков Горбунов Анисимов Ерёмин Тихомиров Галкин Лукьянов Михеев
Скворцов Юдин Белоусов Нестеров Симонов Прокофьев Харитонов Князев Цветков Левин Воронов Аксёнов
Мальцев Логинов Горшков Савин Краснов Майоров Демидов Елисеев Рыбаков Сафонов Плотников Жданов
Островский Вишневский Покровский Лозинский Заславский Ковальский`)

// patronymicRoots take -ич for men and -на for women.
var patronymicRoots = strings.Fields(`Александров Алексеев Андреев Борисов Викторов Владимиров
Дмитриев Евгеньев Иванов Игорев Михайлов Николаев Олегов Павлов Петров Сергеев Юрьев
Анатольев Валерьев Геннадьев Васильев Константинов Романов Максимов Григорьев Фёдоров
Степанов Леонидов Вячеславов Станиславов`)

var positions = []string{
	"Генеральный директор", "Коммерческий директор", "Финансовый директор",
	"Технический директор", "Руководитель отдела закупок", "Менеджер по закупкам",
	"Главный инженер", "Руководитель ИТ-отдела", "Главный бухгалтер",
	"Начальник отдела продаж", "Офис-менеджер", "Юрист", "Специалист по логистике",
	"Руководитель проекта", "Заместитель директора",
}

var mailHosts = []string{"mail.ru", "yandex.ru", "gmail.com", "bk.ru", "list.ru", "inbox.ru", "rambler.ru"}

// Name parts in Latin letters and the feminine forms, worked out once.
var (
	maleLatin, femaleLatin = latinAll(maleFirst), latinAll(femaleFirst)
	lastFem                = mapAll(lastNames, feminine)
	lastLatin, lastFemLat  = latinAll(lastNames), latinAll(lastFem)
	patronymicM            = mapAll(patronymicRoots, func(s string) string { return s + "ич" })
	patronymicF            = mapAll(patronymicRoots, func(s string) string { return s + "на" })
)

func mapAll(in []string, f func(string) string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = f(s)
	}
	return out
}

func latinAll(in []string) []string { return mapAll(in, translit) }

// person is a Russian full name with its parts in Latin letters.
type person struct {
	First, Last, Middle string
	firstLat, lastLat   string
}

// randomPerson draws a man or a woman with a consistent ФИО.
func randomPerson(r randIntN) person {
	l, m := r.IntN(len(lastNames)), r.IntN(len(patronymicRoots))
	if r.IntN(100) < 55 {
		f := r.IntN(len(maleFirst))
		return person{maleFirst[f], lastNames[l], patronymicM[m], maleLatin[f], lastLatin[l]}
	}
	f := r.IntN(len(femaleFirst))
	return person{femaleFirst[f], lastFem[l], patronymicF[m], femaleLatin[f], lastFemLat[l]}
}

// email is firstname.lastname@domain.
func (p person) email(domain string) string { return p.firstLat + "." + p.lastLat + "@" + domain }

// feminine is the feminine form of a masculine surname from lastNames.
func feminine(last string) string {
	if s, ok := strings.CutSuffix(last, "ий"); ok {
		return s + "ая"
	}
	return last + "а"
}

// FIO is "Фамилия Имя Отчество".
func (p person) FIO() string { return p.Last + " " + p.First + " " + p.Middle }

// short is "Фамилия И. О.".
func (p person) short() string {
	return p.Last + " " + firstRune(p.First) + ". " + firstRune(p.Middle) + "."
}

func firstRune(s string) string {
	for _, r := range s {
		return string(r)
	}
	return ""
}
