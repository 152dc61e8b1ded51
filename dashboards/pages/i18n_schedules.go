package pages

import "github.com/voronka/voronka/internal/i18n"

// scheduleMessages are the schedules page's strings, merged into
// messages.
var scheduleMessages = i18n.Catalog{
	"schedules":         i18n.T("Рассылки", "Schedules"),
	"sch_report":        i18n.T("Отчёт", "Report"),
	"sch_cron":          i18n.T("Расписание (cron)", "Schedule (cron)"),
	"sch_next":          i18n.T("Следующий запуск", "Next run"),
	"sch_run_now":       i18n.T("Запустить сейчас", "Run now"),
	"sch_runs":          i18n.T("Запуски", "Runs"),
	"sch_for":           i18n.T("Запланирован на", "Scheduled for"),
	"sch_trigger":       i18n.T("Причина", "Trigger"),
	"sch_status":        i18n.T("Статус", "Status"),
	"sch_attempts":      i18n.T("Попыток", "Attempts"),
	"sch_error":         i18n.T("Ошибка", "Error"),
	"sch_delivered":     i18n.T("Доставлено", "Delivered"),
	"sch_no_runs":       i18n.T("Запусков ещё не было", "No runs yet"),
	"sch_recipients":    i18n.T("Получатели", "Recipients"),
	"sch_delivery":      i18n.T("Доставка", "Delivery"),
	"sch_none":          i18n.T("Рассылок нет", "No schedules"),
	"sch_new":           i18n.T("Новая рассылка", "New schedule"),
	"sch_timezone":      i18n.T("Часовой пояс", "Time zone"),
	"sch_report_period": i18n.T("период отчёта", "the report's period"),
	"sch_per_recipient": i18n.T("каждому — по его правам доступа", "each with their own access"),
	"sch_working_days":  i18n.T("только в рабочие дни", "working days only"),
	"sch_lang":          i18n.T("Язык файла", "File language"),
	"trigger_cron":      i18n.T("по расписанию", "on schedule"),
	"trigger_catch_up":  i18n.T("догоняющий", "catch-up"),
	"trigger_manual":    i18n.T("вручную", "manual"),
	"status_running":    i18n.T("выполняется", "running"),
	"status_retrying":   i18n.T("повтор", "retrying"),
	"status_succeeded":  i18n.T("доставлено", "delivered"),
	"status_failed":     i18n.T("ошибка", "failed"),
	"status_skipped":    i18n.T("пропущен (выходной)", "skipped (day off)"),
	"delivery_auto":     i18n.T("почта, если настроена, иначе папка", "mail if configured, else folder"),
	"delivery_email":    i18n.T("почта", "mail"),
	"delivery_folder":   i18n.T("папка", "folder"),
}
