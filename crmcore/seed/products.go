package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// catalogue is the demo price list: name and price in roubles. The SKU is
// VRN-<position>, so a second run finds the same products.
var catalogue = []struct {
	name  string
	price int64
}{
	{"Лицензия CRM «Воронка», 1 пользователь на год", 12000},
	{"Лицензия CRM «Воронка», 10 пользователей на год", 108000},
	{"Лицензия CRM «Воронка», безлимит на год", 690000},
	{"Внедрение CRM, пакет 40 часов", 120000},
	{"Внедрение CRM, пакет 100 часов", 280000},
	{"Интеграция с 1С:Предприятие", 150000},
	{"Интеграция с телефонией", 45000},
	{"Настройка воронки продаж", 35000},
	{"Обучение пользователей, группа до 10 человек", 40000},
	{"Техническая поддержка, стандарт, год", 96000},
	{"Техническая поддержка, премиум, год", 240000},
	{"Разработка отчётов, час", 3500},
	{"Консультация аналитика, час", 4500},
	{"Аудит бизнес-процессов", 180000},
	{"Миграция данных из другой CRM", 90000},
	{"Сервер 1U, 2×Xeon, 128 ГБ", 640000},
	{"Сервер 2U, 2×Xeon, 256 ГБ", 1150000},
	{"Система хранения данных, 24 диска", 2300000},
	{"Коммутатор 48 портов", 185000},
	{"Маршрутизатор", 95000},
	{"Источник бесперебойного питания 3 кВА", 120000},
	{"Серверная стойка 42U", 85000},
	{"Ноутбук 15\", 16 ГБ", 89000},
	{"Рабочая станция", 145000},
	{"Монитор 27\"", 32000},
	{"МФУ лазерное А4", 48000},
	{"IP-телефон", 9500},
	{"Гарнитура для колл-центра", 6500},
	{"Камера видеонаблюдения уличная", 14000},
	{"Видеорегистратор на 16 каналов", 38000},
	{"Монтаж видеонаблюдения, точка", 4500},
	{"Прокладка СКС, порт", 2800},
	{"Аренда виртуального сервера, месяц", 9000},
	{"Облачное хранилище 1 ТБ, год", 24000},
	{"Резервное копирование, год", 60000},
	{"Антивирус, 1 рабочее место на год", 2500},
	{"Лицензия 1С:Бухгалтерия ПРОФ", 38000},
	{"Лицензия 1С:Управление торговлей", 78000},
	{"Электронный документооборот, год", 36000},
	{"Разработка корпоративного сайта", 350000},
	{"Поддержка сайта, месяц", 25000},
	{"Контекстная реклама, ведение, месяц", 40000},
	{"SEO-продвижение, месяц", 55000},
	{"Доставка оборудования", 7500},
	{"Выезд инженера", 6000},
	{"Погрузчик электрический", 1900000},
	{"Стеллаж складской", 42000},
	{"Терминал сбора данных", 56000},
	{"Принтер этикеток", 27000},
	{"Сканер штрихкодов", 12500},
}

// product is a catalogue item as stored (its price may have been edited).
type product struct {
	ID    int64
	Price int64 // kopecks
}

// ensureProducts creates the catalogue items that do not exist yet and
// returns all of them in catalogue order.
func ensureProducts(ctx context.Context, pool *pgxpool.Pool, now time.Time) ([]product, int64, error) {
	const ins = `
INSERT INTO products (name, sku, price, currency, created_at)
VALUES ($1, $2, $3, 'RUB', $4)
ON CONFLICT (sku) DO NOTHING`
	const get = `SELECT id, (price * 100)::bigint FROM products WHERE sku = $1`
	created := now.Add(-window - 30*24*time.Hour)
	out := make([]product, len(catalogue))
	var inserted int64
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		for i, c := range catalogue {
			sku := fmt.Sprintf("VRN-%03d", i+1)
			tag, err := tx.Exec(ctx, ins, c.name, sku, c.price, created)
			if err != nil {
				return fmt.Errorf("product %s: %w", sku, err)
			}
			inserted += tag.RowsAffected()
			if err := tx.QueryRow(ctx, get, sku).Scan(&out[i].ID, &out[i].Price); err != nil {
				return fmt.Errorf("product %s: %w", sku, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("seed: products: %w", err)
	}
	return out, inserted, nil
}
