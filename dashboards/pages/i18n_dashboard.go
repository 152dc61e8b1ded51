package pages

import "github.com/voronka/voronka/internal/i18n"

// dashboardMessages are the dashboards' texts about their filters, the
// personal dashboard's scope and the heatmap's grain (merged into
// messages).
var dashboardMessages = i18n.Catalog{
	"filter_invalid": i18n.T("Фильтр не применён, отчёты не построены:", "The filter was not applied and no report was run:"),
	"bad_period":     i18n.T("периода «%s» нет — выберите период из списка", "there is no period “%s”: pick one from the list"),
	"bad_pipeline":   i18n.T("воронки сделок «%s» нет — выберите воронку из списка", "there is no deal pipeline “%s”: pick one from the list"),
	"bad_manager":    i18n.T("менеджера «%s» нет — выберите менеджера из списка или всю команду", "there is no manager “%s”: pick one from the list or the whole team"),
	"bad_date":       i18n.T("«%s» — не дата: нужна дата вида 2025-01-31", "“%s” is not a date: give one such as 2025-01-31"),
	"half_range":     i18n.T("укажите обе даты, «С» и «По», или ни одной", "give both dates, From and To, or neither"),
	"reversed_range": i18n.T("дата «По» раньше даты «С»", "the To date is before the From date"),
	"bad_observed":   i18n.T("переключатель наблюдаемых сделок — «%s», а может быть только включён или выключен", "the observed-deals switch is “%s”: it is either on or off"),
	"all_pipelines":  i18n.T("Все воронки", "All pipelines"),
	"with_observed":  i18n.T("Включить сделки, где я наблюдатель", "Include deals I observe"),
	"my_scope":       i18n.T("Показаны ваши сделки — те, где вы ответственный.", "Showing your deals: those you are responsible for."),
	"my_scope_observed": i18n.T("Показаны ваши сделки и сделки, где вы наблюдатель.",
		"Showing your deals and the deals you observe."),
	"my_counts": i18n.T("В периоде и воронке: ваших сделок — %s, где вы наблюдатель — %s.",
		"In the period and pipeline: %s deals of yours, %s you observe."),
	"my_none": i18n.T("У вас нет своих сделок в этом периоде и воронке. Сделки команды и любого менеджера — на дашборде директора (фильтр «Менеджер»):",
		"You have no deals of your own in this period and pipeline. The team's and any manager's deals are on the director dashboard (the Manager filter):"),
	"observed_mark": i18n.T("наблюдаю", "observing"),
	"due_shown":     i18n.T("Показаны %s дел из %s — с самым поздним сроком.", "Showing %s of %s: those due last."),
	"as_of":         i18n.T("На дату", "As of"),
	"heatmap_day":   i18n.T("Дела по дням", "Activities by day"),
	"heatmap_week":  i18n.T("Дела по неделям", "Activities by week"),
	"heatmap_month": i18n.T("Дела по месяцам", "Activities by month"),
	"heatmap_note_day": i18n.T("Шаг — день (период до двух месяцев); дела по дате создания, по московскому времени.",
		"One column a day (periods up to two months); activities by creation date, Moscow time."),
	"heatmap_note_week": i18n.T("Шаг — неделя с понедельника (период до двух лет); дела по дате создания, по московскому времени.",
		"One column a week from Monday (periods up to two years); activities by creation date, Moscow time."),
	"heatmap_note_month": i18n.T("Шаг — месяц (период длиннее двух лет); дела по дате создания, по московскому времени.",
		"One column a month (periods over two years); activities by creation date, Moscow time."),
	"heatmap_def": i18n.T("Число дел каждого сотрудника по дате создания; с воронкой — только дела по её сделкам, с менеджером — только его дела.",
		"Each person's activities by creation date; with a pipeline only those on its deals, with a manager only theirs."),
	"pipeline_note":   i18n.T("Только сделки воронки «%s» и дела по ним.", "Only the deals of the pipeline “%s” and the activities on them."),
	"others":          i18n.T("Прочие", "Others"),
	"all_note":        i18n.T("Все воронки, и дела вне сделок тоже.", "Every pipeline, and activities outside deals too."),
	"period_in_force": i18n.T("Период", "Period"),
	"fresh_answers":   i18n.T("Данные на %s (%s назад)", "Data as of %s (%s ago)"),
	"fresh_answers_def": i18n.T("Время, до которого в копии для отчётов есть каждое изменение, у самого старого ответа на странице; больше %s — предупреждение.",
		"The instant up to which the reporting copy holds every change, of the oldest answer on the page; past %s it is a warning."),
	"seconds_layout": i18n.T("02.01.2006 15:04:05", "2006-01-02 15:04:05"),
	"age_s":          i18n.T("%d\u00a0с", "%d\u00a0s"),
	"age_min":        i18n.T("%d\u00a0мин", "%d\u00a0min"),
	"age_h":          i18n.T("%d\u00a0ч", "%d\u00a0h"),
	"age_d":          i18n.T("%d\u00a0дн.", "%d\u00a0d"),
	"fresh_stale":    i18n.T("Данные устарели: на %s (%s назад, допустимо %s)", "Stale data: as of %s (%s ago, %s allowed)"),
}

var _ = messages.Merge(valueMessages)

// valueMessages are the codes a report's cells hold, in words
// (val_<vocabulary>_<code>, tables.go codeText): stage kinds, activity
// types and directions, invoice and payment statuses.
var valueMessages = i18n.Catalog{
	"val_kind_open":        i18n.T("открытая", "open"),
	"val_kind_won":         i18n.T("выиграна", "won"),
	"val_kind_lost":        i18n.T("проиграна", "lost"),
	"val_kind_paused":      i18n.T("на паузе", "paused"),
	"val_act_call":         i18n.T("звонок", "call"),
	"val_act_email":        i18n.T("письмо", "e-mail"),
	"val_act_meeting":      i18n.T("встреча", "meeting"),
	"val_act_task":         i18n.T("задача", "task"),
	"val_dir_in":           i18n.T("входящий", "incoming"),
	"val_dir_out":          i18n.T("исходящий", "outgoing"),
	"val_status_draft":     i18n.T("черновик", "draft"),
	"val_status_issued":    i18n.T("выставлен", "issued"),
	"val_status_paid":      i18n.T("оплачен", "paid"),
	"val_status_cancelled": i18n.T("отменён", "cancelled"),
	"val_status_planned":   i18n.T("запланирован", "planned"),
}
