package pages

import "github.com/gofiber/fiber/v2"

const langCookie = "voronka_lang"

// messages are the interface strings, by language then key. Russian is
// the default; a missing English string falls back to Russian.
var messages = map[string]map[string]string{
	"ru": {
		"login": "Вход", "email": "Эл. почта", "password": "Пароль", "signin": "Войти", "logout": "Выйти",
		"bad_login": "Неверная почта или пароль", "csrf": "Форма устарела, попробуйте ещё раз",
		"too_many": "Слишком много попыток входа, подождите минуту",
		"director": "Дашборд директора", "manager": "Мой дашборд", "kanban": "Канбан",
		"period": "Период", "pipeline": "Воронка", "apply": "Показать",
		"funnel": "Воронка продаж", "stages": "Проценты по стадиям", "won_month": "Выиграно по месяцам",
		"by_source": "Сделки по источникам", "leaders": "Рейтинг менеджеров",
		"fresh": "Свежесть данных", "computed": "Рассчитано", "rows_shown": "Показаны %d строк из %d; в XLSX — все.", "unknown": "неизвестно", "lag": "отставание %.0f с",
		"no_echarts":  "Графики недоступны: ECharts не встроен в эту сборку (выполните make assets и пересоберите).",
		"unavailable": "Аналитика недоступна", "table": "Таблица", "no_data": "Нет данных",
		"stage": "Стадия", "count": "Сделок", "amount": "Сумма, ₽", "conv_prev": "Конверсия из предыдущей",
		"conv_first": "Конверсия из первой", "weighted": "Взвешенная сумма, ₽",
		"funnel_def":  "Сделки воронки, созданные в периоде (по дате создания): сколько дошли до стадии или дальше; конверсия — доля от предыдущей и от первой стадии.",
		"responsible": "Ответственный", "deals_shown": "сделок показано",
		"activity": "Активность", "team_activity": "Активность команды", "heatmap": "Дела по дням",
		"weighted_pipeline": "Взвешенная воронка", "weighted_def": "Сумма открытых сделок воронки × вероятность их стадии / 100 (сделки, созданные в периоде).",
		"manager_filter": "Менеджер", "team": "Вся команда",
		"this_period": "Этот период", "year_before": "Год назад",
		"won_def": "Сумма сделок в выигранных стадиях по месяцу закрытия; вторая линия — те же месяцы годом раньше.",
		"reports": "Отчёты", "builder": "Конструктор отчётов", "preview": "Предпросмотр", "save": "Сохранить", "name": "Название",
		"shared": "Доступен всем", "dataset": "Набор данных", "dimension": "Группировка", "measure": "Показатель", "grain": "Шаг",
		"pivot": "Вторую группировку — в столбцы", "chart": "График", "from": "С", "to": "По", "standard": "Стандартный", "saved": "Сохранённый",
		"agg_count": "Количество", "agg_count_distinct": "число различных", "agg_sum": "сумма", "agg_avg": "среднее", "agg_min": "минимум",
		"agg_max": "максимум", "agg_median": "медиана", "grain_day": "день", "grain_week": "неделя", "grain_month": "месяц",
		"grain_quarter": "квартал", "grain_year": "год", "chart_bar": "столбцы", "chart_line": "линия", "chart_pie": "круговая", "chart_table": "только таблица",
		"due": "Дела на сегодня и просроченные", "due_at": "Срок", "activity_col": "Дело", "deal": "Сделка", "overdue": "просрочено",
		"nothing_due": "На сегодня дел нет", "due_def": "Ваши невыполненные дела со сроком сегодня (по Москве) или раньше.",
		"role_admin": "администратор", "role_director": "директор", "role_analyst": "аналитик", "role_manager": "менеджер", "role_observer": "наблюдатель",
	},
	"en": {
		"login": "Sign in", "email": "E-mail", "password": "Password", "signin": "Sign in", "logout": "Sign out",
		"bad_login": "Wrong e-mail or password", "csrf": "The form expired, please try again",
		"too_many": "Too many sign-in attempts, wait a minute",
		"director": "Director dashboard", "manager": "My dashboard", "kanban": "Kanban",
		"period": "Period", "pipeline": "Pipeline", "apply": "Show",
		"funnel": "Sales funnel", "stages": "Stage percentages", "won_month": "Won by month",
		"by_source": "Deals by source", "leaders": "Manager leaderboard",
		"fresh": "Data freshness", "computed": "Computed", "rows_shown": "Showing %d of %d rows; the XLSX has them all.", "unknown": "unknown", "lag": "lag %.0f s",
		"no_echarts":  "Charts unavailable: ECharts is not embedded in this build (run make assets and rebuild).",
		"unavailable": "Analytics unavailable", "table": "Table", "no_data": "No data",
		"stage": "Stage", "count": "Deals", "amount": "Amount, ₽", "conv_prev": "Conversion from previous",
		"conv_first": "Conversion from first", "weighted": "Weighted amount, ₽",
		"funnel_def":  "The pipeline's deals created in the period (by creation date): how many reached the stage or a later one; conversion is the share of the previous and of the first stage.",
		"responsible": "Responsible", "deals_shown": "deals shown",
		"activity": "Activity", "team_activity": "Team activity", "heatmap": "Activities by day",
		"weighted_pipeline": "Weighted pipeline", "weighted_def": "The pipeline's open deals' amount × their stage's probability / 100 (deals created in the period).",
		"manager_filter": "Manager", "team": "Whole team",
		"this_period": "This period", "year_before": "A year earlier",
		"won_def": "Amount of deals in won stages by closing month; the second line is the same months a year earlier.",
		"reports": "Reports", "builder": "Report builder", "preview": "Preview", "save": "Save", "name": "Name",
		"shared": "Shared with everyone", "dataset": "Dataset", "dimension": "Group by", "measure": "Measure", "grain": "Grain",
		"pivot": "Second grouping as columns", "chart": "Chart", "from": "From", "to": "To", "standard": "Standard", "saved": "Saved",
		"agg_count": "Count", "agg_count_distinct": "distinct count", "agg_sum": "sum", "agg_avg": "average", "agg_min": "minimum",
		"agg_max": "maximum", "agg_median": "median", "grain_day": "day", "grain_week": "week", "grain_month": "month",
		"grain_quarter": "quarter", "grain_year": "year", "chart_bar": "bars", "chart_line": "line", "chart_pie": "pie", "chart_table": "table only",
		"due": "Due today and overdue", "due_at": "Due", "activity_col": "Activity", "deal": "Deal", "overdue": "overdue",
		"nothing_due": "Nothing due today", "due_def": "Your activities not done, due today (Moscow time) or earlier.",
		"role_admin": "admin", "role_director": "director", "role_analyst": "analyst", "role_manager": "manager", "role_observer": "observer",
	},
}

// pageLang picks the language: ?lang= (remembered in a cookie), then the
// cookie, then Russian.
func (s *handlers) pageLang(c *fiber.Ctx) string {
	if l := c.Query("lang"); l == "ru" || l == "en" {
		c.Cookie(&fiber.Cookie{Name: langCookie, Value: l, Path: "/", HTTPOnly: true, Secure: s.Secure,
			SameSite: fiber.CookieSameSiteLaxMode, MaxAge: 365 * 24 * 3600})
		return l
	}
	if l := c.Cookies(langCookie); l == "en" {
		return l
	}
	return "ru"
}

// translator returns the message lookup for lang.
func translator(lang string) func(string) string {
	return func(key string) string {
		if m, ok := messages[lang][key]; ok {
			return m
		}
		if m, ok := messages["ru"][key]; ok {
			return m
		}
		return key
	}
}
