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
	"kb_capped":       i18n.T("Показаны %s из %s: уточните поиск, чтобы увидеть остальные", "Showing %s of %s: narrow the search to see the rest"),
	"kb_missing":      i18n.T("Воронка не найдена", "Pipeline not found"),
	"kb_missing_text": i18n.T("Воронки сделок «%s» нет. Доски воронок:", "There is no deal pipeline “%s”. The boards:"),
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
	"deal_missing":           i18n.T("Сделка не найдена", "Deal not found"),
	"deal_missing_text":      i18n.T("Такой сделки нет или она вам не видна.", "There is no such deal, or you may not see it."),
	"deal_to_board":          i18n.T("к канбану", "to the board"),
	"deal_back":              i18n.T("Канбан «%s»", "Board “%s”"),
	"deal_probability":       i18n.T("вероятность %s", "probability %s"),
	"deal_kind_open":         i18n.T("в работе", "in progress"),
	"deal_kind_won":          i18n.T("выиграна", "won"),
	"deal_kind_lost":         i18n.T("проиграна", "lost"),
	"deal_kind_paused":       i18n.T("на паузе", "paused"),
	"deal_whose_own":         i18n.T("моя сделка", "my deal"),
	"deal_whose_observed":    i18n.T("я наблюдатель", "I observe it"),
	"deal_pipeline":          i18n.T("Воронка", "Pipeline"),
	"deal_amount":            i18n.T("Сумма", "Amount"),
	"deal_responsible":       i18n.T("Ответственный", "Responsible"),
	"deal_observers":         i18n.T("Наблюдатели", "Observers"),
	"deal_company":           i18n.T("Компания", "Company"),
	"deal_contact":           i18n.T("Контакт", "Contact"),
	"deal_created":           i18n.T("Создана", "Created"),
	"deal_closed":            i18n.T("Закрыта", "Closed"),
	"deal_lost_reason":       i18n.T("Причина проигрыша", "Reason lost"),
	"deal_history":           i18n.T("История стадий", "Stage history"),
	"deal_when":              i18n.T("Когда", "When"),
	"deal_from":              i18n.T("Из стадии", "From"),
	"deal_to":                i18n.T("В стадию", "To"),
	"deal_by":                i18n.T("Кто перевёл", "Moved by"),
	"deal_reason":            i18n.T("Причина", "Reason"),
	"deal_activities":        i18n.T("Дела", "Activities"),
	"deal_type":              i18n.T("Вид", "Type"),
	"deal_subject":           i18n.T("Тема", "Subject"),
	"deal_owner":             i18n.T("Исполнитель", "Owner"),
	"deal_due":               i18n.T("Срок", "Due"),
	"deal_done":              i18n.T("Выполнено", "Done"),
	"deal_not_done":          i18n.T("не выполнено", "not done"),
	"deal_act_call":          i18n.T("Звонок", "Call"),
	"deal_act_email":         i18n.T("Письмо", "E-mail"),
	"deal_act_meeting":       i18n.T("Встреча", "Meeting"),
	"deal_act_task":          i18n.T("Задача", "Task"),
	"deal_invoices":          i18n.T("Счета", "Invoices"),
	"deal_number":            i18n.T("Номер счёта", "Invoice number"),
	"deal_invoice":           i18n.T("Счёт", "Invoice"),
	"deal_status":            i18n.T("Статус", "Status"),
	"deal_paid":              i18n.T("Оплачено", "Paid"),
	"deal_issued":            i18n.T("Выставлен", "Issued"),
	"deal_invoice_draft":     i18n.T("черновик", "draft"),
	"deal_invoice_issued":    i18n.T("выставлен", "issued"),
	"deal_invoice_paid":      i18n.T("оплачен", "paid"),
	"deal_invoice_cancelled": i18n.T("отменён", "cancelled"),
	"deal_payments":          i18n.T("Платежи", "Payments"),
	"deal_planned":           i18n.T("Плановая дата", "Planned"),
	"deal_paid_at":           i18n.T("Дата оплаты", "Paid on"),
	"deal_payment_planned":   i18n.T("запланирован", "planned"),
	"deal_payment_paid":      i18n.T("оплачен", "paid"),
	"deal_no_activities":     i18n.T("Дел по сделке нет", "No activities"),
	"deal_no_invoices":       i18n.T("Счетов нет", "No invoices"),
	"deal_no_payments":       i18n.T("Платежей нет", "No payments"),
	"deal_list_count":        i18n.T("последние %d из %d", "the latest %d of %d"),
}

var _ = messages.Merge(panelXLSXMessages)

// panelXLSXMessages are the words of a dashboard panel's workbook
// (dashboard_xlsx.go): its parameters sheet.
var panelXLSXMessages = i18n.Catalog{
	"x_dashboard":          i18n.T("Дашборд", "Dashboard"),
	"x_panel":              i18n.T("Панель", "Panel"),
	"x_manager":            i18n.T("Менеджер", "Manager"),
	"x_deals":              i18n.T("Сделки", "Deals"),
	"x_own_deals":          i18n.T("мои (я ответственный)", "mine (I am responsible)"),
	"x_own_observed_deals": i18n.T("мои и те, где я наблюдатель", "mine and those I observe"),
}
