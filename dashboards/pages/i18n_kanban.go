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
