package pages

// scheduleMessages are the schedules page's strings, merged into
// messages.
var scheduleMessages = map[string]map[string]string{
	"ru": {
		"schedules": "Рассылки", "sch_report": "Отчёт", "sch_cron": "Расписание (cron)", "sch_next": "Следующий запуск",
		"sch_run_now": "Запустить сейчас", "sch_runs": "Запуски", "sch_for": "Запланирован на", "sch_trigger": "Причина",
		"sch_status": "Статус", "sch_attempts": "Попыток", "sch_error": "Ошибка", "sch_delivered": "Доставлено",
		"sch_no_runs": "Запусков ещё не было", "sch_recipients": "Получатели", "sch_delivery": "Доставка",
		"sch_none": "Рассылок нет", "sch_new": "Новая рассылка", "sch_timezone": "Часовой пояс",
		"sch_report_period": "период отчёта", "sch_per_recipient": "каждому — по его правам доступа",
		"sch_working_days": "только в рабочие дни", "sch_lang": "Язык файла",
		"trigger_cron": "по расписанию", "trigger_catch_up": "догоняющий", "trigger_manual": "вручную",
		"status_running": "выполняется", "status_retrying": "повтор", "status_succeeded": "доставлено",
		"status_failed": "ошибка", "status_skipped": "пропущен (выходной)",
		"delivery_auto": "почта, если настроена, иначе папка", "delivery_email": "почта", "delivery_folder": "папка",
	},
	"en": {
		"schedules": "Schedules", "sch_report": "Report", "sch_cron": "Schedule (cron)", "sch_next": "Next run",
		"sch_run_now": "Run now", "sch_runs": "Runs", "sch_for": "Scheduled for", "sch_trigger": "Trigger",
		"sch_status": "Status", "sch_attempts": "Attempts", "sch_error": "Error", "sch_delivered": "Delivered",
		"sch_no_runs": "No runs yet", "sch_recipients": "Recipients", "sch_delivery": "Delivery",
		"sch_none": "No schedules", "sch_new": "New schedule", "sch_timezone": "Time zone",
		"sch_report_period": "the report's period", "sch_per_recipient": "each with their own access",
		"sch_working_days": "working days only", "sch_lang": "File language",
		"trigger_cron": "on schedule", "trigger_catch_up": "catch-up", "trigger_manual": "manual",
		"status_running": "running", "status_retrying": "retrying", "status_succeeded": "delivered",
		"status_failed": "failed", "status_skipped": "skipped (day off)",
		"delivery_auto": "mail if configured, else folder", "delivery_email": "mail", "delivery_folder": "folder",
	},
}

func init() { mergeMessages(scheduleMessages) }
