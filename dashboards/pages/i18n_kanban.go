package pages

import "github.com/voronka/voronka/internal/i18n"

// kanbanMessages are the strings of the kanban board, the deal page and
// the sign-in page, merged into messages.
var kanbanMessages = i18n.Catalog{
	"login_tagline": i18n.T("Аналитика продаж: воронки, отчёты, рассылки", "Sales analytics: funnels, reports, schedules"),

	"kb_search":       i18n.T("Поиск по названию сделки", "Search deal titles"),
	"kb_find":         i18n.T("Найти", "Find"),
	"kb_reset":        i18n.T("Сбросить", "Reset"),
	"kb_mine":         i18n.T("только мои сделки", "my deals only"),
	"kb_more":         i18n.T("Показать ещё %d", "Show %d more"),
	"kb_empty":        i18n.T("Сделок нет", "No deals"),
	"kb_own":          i18n.T("моя сделка", "my deal"),
	"kb_observed":     i18n.T("наблюдаю · ответственный: %s", "observing · responsible: %s"),
	"kb_colleague":    i18n.T("ответственный: %s", "responsible: %s"),
	"kb_manager_note": i18n.T("видны ваши сделки и те, где вы наблюдатель", "your deals and those you observe"),
	"kb_stage_title":  i18n.T("%s, вероятность %d %%", "%s, probability %d%%"),
	"kb_kind_open":    i18n.T("открытая стадия", "open stage"),
	"kb_kind_won":     i18n.T("выигрыш", "won"),
	"kb_kind_lost":    i18n.T("проигрыш", "lost"),
	"kb_kind_paused":  i18n.T("пауза", "paused"),
}

// dealMessages are the deal page's words.
var dealMessages = i18n.Catalog{
	"deal_amount":      i18n.T("Сумма", "Amount"),
	"deal_responsible": i18n.T("Ответственный", "Responsible"),
	"deal_observers":   i18n.T("Наблюдатели", "Observers"),
	"deal_company":     i18n.T("Компания", "Company"),
	"deal_contact":     i18n.T("Контакт", "Contact"),
	"deal_created":     i18n.T("Создана", "Created"),
	"deal_closed":      i18n.T("Закрыта", "Closed"),
	"deal_lost_reason": i18n.T("Причина отказа", "Reason lost"),
	"deal_history":     i18n.T("История стадий", "Stage history"),
	"deal_when":        i18n.T("Когда", "When"),
	"deal_from":        i18n.T("Из стадии", "From"),
	"deal_to":          i18n.T("В стадию", "To"),
	"deal_by":          i18n.T("Кто перевёл", "Moved by"),
	"deal_activities":  i18n.T("Активности", "Activities"),
	"deal_subject":     i18n.T("Тема", "Subject"),
	"deal_owner":       i18n.T("Исполнитель", "Owner"),
	"deal_due":         i18n.T("Срок", "Due"),
	"deal_done":        i18n.T("Выполнена", "Done"),
	"deal_invoices":    i18n.T("Счета", "Invoices"),
	"deal_number":      i18n.T("Номер счёта", "Invoice number"),
	"deal_paid":        i18n.T("Оплачено", "Paid"),
	"deal_issued":      i18n.T("Выставлен", "Issued"),
	"deal_payments":    i18n.T("Платежи", "Payments"),
	"deal_planned":     i18n.T("План", "Planned"),
	"deal_paid_at":     i18n.T("Оплачен", "Paid on"),
	"deal_none":        i18n.T("Нет", "None"),
}
