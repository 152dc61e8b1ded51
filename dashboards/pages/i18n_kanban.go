package pages

import "github.com/voronka/voronka/internal/i18n"

// kanbanMessages are the strings of the kanban board, the deal page and
// the sign-in page, merged into messages.
var kanbanMessages = i18n.Catalog{
	"login_tagline": i18n.T("Аналитика продаж: воронки, отчёты, рассылки", "Sales analytics: funnels, reports, schedules"),
}
