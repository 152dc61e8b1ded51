package pages

import (
	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/internal/i18n"
)

const langCookie = "voronka_lang"

// messages are the interface strings by key in Russian and English: the
// ones every page and the dashboards share, the builder's and the
// schedules page's. Russian is the default; a missing English string
// falls back to Russian.
var messages = i18n.Catalog{}.Merge(pageMessages, builderMessages, scheduleMessages, dashboardMessages)

var _ = messages.Merge(kanbanMessages) // the kanban board, the deal page and the sign-in page
var _ = messages.Merge(dealMessages)

// pageMessages are the strings of the shared parts and the dashboards.
var pageMessages = i18n.Catalog{
	"login":      i18n.T("Вход", "Sign in"),
	"other_lang": i18n.T("English", "Русский"), // the link to the page in the other language
	"email":      i18n.T("Эл. почта", "E-mail"),
	"password":   i18n.T("Пароль", "Password"),
	"signin":     i18n.T("Войти", "Sign in"),
	"logout":     i18n.T("Выйти", "Sign out"),
	"bad_login":  i18n.T("Неверная почта или пароль", "Wrong e-mail or password"),
	"csrf":       i18n.T("Форма устарела, попробуйте ещё раз", "The form expired, please try again"),
	"too_many":   i18n.T("Слишком много неудачных попыток входа с вашего адреса, попробуйте позже", "Too many failed sign-ins from your address, try again later"),
	"locked":     i18n.T("Вход для этой почты временно закрыт после неудачных попыток; попробуйте позже или попросите администратора снять блокировку", "Sign-in for this e-mail is locked for a while after failed attempts; try again later or ask an admin to unlock it"),
	"director":   i18n.T("Дашборд директора", "Director dashboard"),
	"manager":    i18n.T("Мой дашборд", "My dashboard"),
	"kanban":     i18n.T("Канбан", "Kanban"),
	"period":     i18n.T("Период", "Period"),
	"pipeline":   i18n.T("Воронка", "Pipeline"),
	"apply":      i18n.T("Показать", "Show"),
	"funnel":     i18n.T("Воронка продаж", "Sales funnel"),
	"stages":     i18n.T("Проценты по стадиям", "Stage percentages"),
	"won_month":  i18n.T("Выиграно по месяцам", "Won by month"),
	"by_source":  i18n.T("Сделки по источникам", "Deals by source"),
	"leaders":    i18n.T("Рейтинг менеджеров", "Manager leaderboard"),
	"plan_fact":  i18n.T("План-факт", "Plan vs actual"),
	"totals_row": i18n.T("Итого", "Total"),
	// a month's name follows: «План-факт: декабрь 2026»
	"plan_fact_title":       i18n.T("План-факт по выручке: %s", "Revenue plan vs actual: %s"),
	"plan_fact_done":        i18n.T("Выполнено %s плана (%s)", "%s of the plan (%s) done"),
	"plan_fact_no_plan":     i18n.T("План на месяц не задан", "No plan set for the month"),
	"plan_fact_forecast":    i18n.T("прогноз по темпу %s", "run-rate forecast %s"),
	"plan_fact_forecast_of": i18n.T("прогноз по темпу %s — %s плана", "run-rate forecast %s, %s of the plan"),
	"plan_fact_later":       i18n.T("прогноз — после первого рабочего дня", "forecast after the first working day"),
	"plan_fact_days":        i18n.T("прошло рабочих дней: %v из %v", "working days passed: %v of %v"),
	"plan_all_pipelines":    i18n.T("По всем воронкам.", "Over every pipeline."),
	"plan_fact_none":        i18n.T("В этом месяце нет ни плана, ни продаж.", "No plan and no sales this month."),
	"forecast":              i18n.T("Прогноз продаж на три месяца", "Sales forecast, three months"),
	"forecast_note": i18n.T("Выиграно — закрытые в месяце; рядом — открытые сделки с ожидаемой датой закрытия в месяце по категориям прогноза (вместе — лучший случай; взвешенно — в таблице: × вероятность стадии).",
		"Won: closed in the month; beside it, open deals expected to close in the month by forecast category (together the best case; weighted, in the table: × the stage's probability)."),
	"forecast_accuracy": i18n.T("Точность прогноза за три прошлых месяца", "Forecast accuracy, the last three months"),
	// the month, then the accuracy in percent: «Точность за февраль 2025: 85,0 %»
	"accuracy_last":      i18n.T("Точность за %s: %s", "Accuracy in %s: %s"),
	"accuracy_last_none": i18n.T("За %s взвешенного прогноза не было — точность не определена", "%s had no weighted forecast: no accuracy"),
	"accuracy_none":      i18n.T("Нет данных", "No data"),
	"accuracy_note":      i18n.T("(выиграно ÷ взвешенный прогноз, каким он был к началу месяца).", "(won ÷ the weighted forecast as it stood when the month began)."),
	"fresh":              i18n.T("Свежесть данных", "Data freshness"),
	"computed":           i18n.T("Рассчитано", "Computed"),
	"rows_shown":         i18n.T("Показаны %s строк из %s; в XLSX — все.", "Showing %s of %s rows; the XLSX has them all."),
	"unknown":            i18n.T("неизвестно", "unknown"),
	"lag":                i18n.T("отставание %.0f с", "lag %.0f s"),
	// the mirrored tables, as the header names one in trouble
	"table_users":               i18n.T("пользователи", "users"),
	"table_currencies":          i18n.T("валюты", "currencies"),
	"table_currency_rates":      i18n.T("курсы валют", "currency rates"),
	"table_sources":             i18n.T("источники", "sources"),
	"table_pipelines":           i18n.T("воронки", "pipelines"),
	"table_stages":              i18n.T("стадии", "stages"),
	"table_stage_transitions":   i18n.T("переходы между стадиями", "stage transitions"),
	"table_companies":           i18n.T("компании", "companies"),
	"table_contacts":            i18n.T("контакты", "contacts"),
	"table_deals":               i18n.T("сделки", "deals"),
	"table_deal_observers":      i18n.T("наблюдатели сделок", "deal observers"),
	"table_stage_changes":       i18n.T("история стадий", "stage history"),
	"table_leads":               i18n.T("лиды", "leads"),
	"table_lead_status_changes": i18n.T("история статусов лидов", "lead status history"),
	"table_activities":          i18n.T("дела", "activities"),
	"table_products":            i18n.T("товары", "products"),
	"table_deal_items":          i18n.T("позиции сделок", "deal items"),
	"table_invoices":            i18n.T("счета", "invoices"),
	"table_payments":            i18n.T("платежи", "payments"),
	"table_plans":               i18n.T("планы продаж", "sales plans"),
	"table_holidays":            i18n.T("производственный календарь", "working-days calendar"),
	"tables_in_trouble":         i18n.T("Отстают данные: %s — схема изменилась, копия перестраивается", "Behind: %s — the schema changed, the copy is being rebuilt"),
	"no_echarts":                i18n.T("Графики недоступны: ECharts не встроен в эту сборку (выполните make assets и пересоберите).", "Charts unavailable: ECharts is not embedded in this build (run make assets and rebuild)."),
	"unavailable":               i18n.T("Аналитика недоступна", "Analytics unavailable"),
	"table":                     i18n.T("Таблица", "Table"),
	"no_data":                   i18n.T("Нет данных", "No data"),
	"stage":                     i18n.T("Стадия", "Stage"),
	"count":                     i18n.T("Сделок", "Deals"),
	"amount":                    i18n.T("Сумма, ₽", "Amount, ₽"),
	"conv_prev":                 i18n.T("Конверсия из предыдущей", "Conversion from previous"),
	"conv_first":                i18n.T("Конверсия из первой", "Conversion from first"),
	"weighted":                  i18n.T("Взвешенная сумма, ₽", "Weighted amount, ₽"),
	"funnel_def":                i18n.T("Сделки воронки, созданные в периоде (по дате создания): сколько дошли до стадии или дальше; конверсия — доля от предыдущей и от первой стадии.", "The pipeline's deals created in the period (by creation date): how many reached the stage or a later one; conversion is the share of the previous and of the first stage."),
	"responsible":               i18n.T("Ответственный", "Responsible"),
	"deals_shown":               i18n.T("сделок показано", "deals shown"),
	"activity":                  i18n.T("Активность", "Activity"),
	"team_activity":             i18n.T("Активность команды", "Team activity"),
	"heatmap":                   i18n.T("Дела по дням", "Activities by day"),
	"weighted_pipeline":         i18n.T("Взвешенная воронка", "Weighted pipeline"),
	"weighted_def":              i18n.T("Сумма открытых сделок воронки × вероятность их стадии / 100 (сделки, созданные в периоде).", "The pipeline's open deals' amount × their stage's probability / 100 (deals created in the period)."),
	"manager_filter":            i18n.T("Менеджер", "Manager"),
	"team":                      i18n.T("Вся команда", "Whole team"),
	"this_period":               i18n.T("Этот период", "This period"),
	"year_before":               i18n.T("Год назад", "A year earlier"),
	"won_def":                   i18n.T("Сумма сделок в выигранных стадиях по месяцу закрытия; вторая линия — те же месяцы годом раньше.", "Amount of deals in won stages by closing month; the second line is the same months a year earlier."),
	"reports":                   i18n.T("Отчёты", "Reports"),
	"builder":                   i18n.T("Конструктор отчётов", "Report builder"),
	"preview":                   i18n.T("Предпросмотр", "Preview"),
	"save":                      i18n.T("Сохранить", "Save"),
	"name":                      i18n.T("Название", "Name"),
	"shared":                    i18n.T("Доступен всем", "Shared with everyone"),
	"dataset":                   i18n.T("Набор данных", "Dataset"),
	"dimension":                 i18n.T("Группировка", "Group by"),
	"measure":                   i18n.T("Показатель", "Measure"),
	"grain":                     i18n.T("Шаг", "Grain"),
	"pivot":                     i18n.T("Вторую группировку — в столбцы", "Second grouping as columns"),
	"chart":                     i18n.T("График", "Chart"),
	"from":                      i18n.T("С", "From"),
	"to":                        i18n.T("По", "To"),
	"standard":                  i18n.T("Стандартный", "Standard"),
	"saved":                     i18n.T("Сохранённый", "Saved"),
	"agg_count":                 i18n.T("Количество", "Count"),
	"agg_count_distinct":        i18n.T("число различных", "distinct count"),
	"agg_sum":                   i18n.T("сумма", "sum"),
	"agg_avg":                   i18n.T("среднее", "average"),
	"agg_min":                   i18n.T("минимум", "minimum"),
	"agg_max":                   i18n.T("максимум", "maximum"),
	"agg_median":                i18n.T("медиана", "median"),
	"grain_day":                 i18n.T("день", "day"),
	"grain_week":                i18n.T("неделя", "week"),
	"grain_month":               i18n.T("месяц", "month"),
	"grain_quarter":             i18n.T("квартал", "quarter"),
	"grain_year":                i18n.T("год", "year"),
	"chart_bar":                 i18n.T("столбцы", "bars"),
	"chart_line":                i18n.T("линия", "line"),
	"chart_pie":                 i18n.T("круговая", "pie"),
	"chart_table":               i18n.T("только таблица", "table only"),
	"due":                       i18n.T("Дела на сегодня и просроченные", "Due today and overdue"),
	"due_at":                    i18n.T("Срок", "Due"),
	"activity_col":              i18n.T("Дело", "Activity"),
	"deal":                      i18n.T("Сделка", "Deal"),
	"overdue":                   i18n.T("просрочено", "overdue"),
	"stale_title":               i18n.T("Застоявшиеся сделки", "Stale deals"),
	"stale_def":                 i18n.T("Ваши открытые сделки без активности не меньше дней, чем велит правило их стадии: с последней смены стадии или последнего дела, что позже (день — 24 часа).", "Your open deals idle at least as many days as their stage's rule: since the last stage change or the last activity, whichever is later (a day is 24 hours)."),
	"stale_stage":               i18n.T("Стадия", "Stage"),
	"stale_days_col":            i18n.T("Дней без активности", "Days idle"),
	"stale_rule_col":            i18n.T("Правило, дней", "Rule, days"),
	"stale_none":                i18n.T("Застоявшихся сделок нет", "No stale deals"),
	"stale_no_task":             i18n.T("Открытых сделок без следующей задачи", "Open deals without a next task"),
	"stale_report":              i18n.T("отчёт по всем", "the full report"),
	"nothing_due":               i18n.T("На сегодня дел нет", "Nothing due today"),
	"due_def":                   i18n.T("Ваши невыполненные дела со сроком сегодня (по Москве) или раньше.", "Your activities not done, due today (Moscow time) or earlier."),
	"role_admin":                i18n.T("администратор", "admin"),
	"role_director":             i18n.T("директор", "director"),
	"role_analyst":              i18n.T("аналитик", "analyst"),
	"role_manager":              i18n.T("менеджер", "manager"),
	"role_observer":             i18n.T("наблюдатель", "observer"),
}

// pageLang picks the language: ?lang= (remembered in a cookie), then the
// cookie, then Russian.
func (s *handlers) pageLang(c *fiber.Ctx) string {
	if l := c.Query("lang"); i18n.Valid(l) {
		c.Cookie(&fiber.Cookie{Name: langCookie, Value: l, Path: "/", HTTPOnly: true, Secure: s.Secure,
			SameSite: fiber.CookieSameSiteLaxMode, MaxAge: 365 * 24 * 3600})
		return l
	}
	return i18n.Parse(c.Cookies(langCookie))
}

var _ = messages.Merge(errorPageMessages)

// errorPageMessages are the error page's titles by HTTP status, in words.
var errorPageMessages = i18n.Catalog{
	"err_status_400":   i18n.T("Запрос не читается", "Bad request"),
	"err_status_401":   i18n.T("Нужно войти", "Sign-in needed"),
	"err_status_403":   i18n.T("Нет доступа", "Access denied"),
	"err_status_404":   i18n.T("Страница не найдена", "Page not found"),
	"err_status_409":   i18n.T("Конфликт с текущими данными", "Conflict with the current data"),
	"err_status_413":   i18n.T("Запрос слишком большой", "Request too large"),
	"err_status_422":   i18n.T("Данные не подходят", "The data do not fit"),
	"err_status_429":   i18n.T("Слишком много запросов", "Too many requests"),
	"err_status_499":   i18n.T("Запрос прерван", "Request cancelled"),
	"err_status_500":   i18n.T("Ошибка сервера", "Server error"),
	"err_status_503":   i18n.T("Сервис недоступен", "Service unavailable"),
	"err_status_other": i18n.T("Запрос не выполнен", "The request failed"),
	"err_home":         i18n.T("На главную", "Home"),
}
