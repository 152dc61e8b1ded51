package pages

import (
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/xlsx"
)

// dashboardXLSX downloads one panel's table (?panel=) of a dashboard with
// the same filters as the page: the same report, run for the same user,
// so it holds exactly the rows the page shows. Its title and file name
// say the panel, the pipeline, whose deals and the period; its
// parameters sheet says them in words; it has the chart the API's
// export of the same kind of report has.
func (s *handlers) dashboardXLSX(c *fiber.Ctx) error {
	which := c.Params("which")
	if which == "director" && server.Principal(c).Role == domain.RoleManager {
		which = "manager"
	}
	if which == "finance" && !server.Principal(c).CanWriteAll() {
		return apperr.New(apperr.Forbidden, "forbidden", "the finance page is the director's and the admin's")
	}
	id := c.Query("panel")
	if !slices.Contains(panelIDs[which], id) {
		return apperr.New(apperr.NotFound, "not_found", "no such panel")
	}
	d := s.newPage(c, which)
	body, q, err := s.dashFilter(c, d, which)
	if err != nil {
		return err
	}
	if len(body.Invalid) > 0 {
		return &apperr.Error{Kind: apperr.Invalid, Code: "invalid_filter", Message: d.tr("filter_invalid") + " " + strings.Join(body.Invalid, "; "),
			Details: map[string]any{"problems": strings.Join(body.Invalid, "; ")}}
	}
	if err := server.ReportsReady(s.Reports, s.Saved); err != nil {
		return err
	}
	pn := s.panel(c.UserContext(), q, id)
	if pn.result == nil {
		return server.ReportsUnavailable(pn.Err)
	}
	return server.SendXLSX(c, panelReport(d, body, q, pn), which+"-"+id, pn.result)
}

// panelReport describes a panel's workbook: its title is the panel, the
// pipeline and whose deals; the parameters sheet has the dashboard and
// each filter by name; Def is the kind of report the panel runs, which
// picks the chart.
func panelReport(d *pageData, body *dashboardBody, q dashQuery, pn panel) xlsx.Report {
	pipeline := q.plName
	if q.pl == "" {
		pipeline = d.T("all_pipelines")
	}
	who := panelWho(d, body, q)
	rep := xlsx.Report{Name: pn.Title + ", " + pipeline + ", " + who, Lang: d.Lang, Def: panelChartDef(pn.ID, q.pl),
		Params: []xlsx.Param{{Label: d.T("x_dashboard"), Value: d.T(q.page)}, {Label: d.T("x_panel"), Value: pn.Title},
			{Label: d.T("pipeline"), Value: pipeline}, {Label: d.T("x_manager"), Value: who}}}
	if q.personal {
		deals := d.T("x_own_deals")
		if q.observed {
			deals = d.T("x_own_observed_deals")
		}
		rep.Params = append(rep.Params, xlsx.Param{Label: d.T("x_deals"), Value: deals})
	}
	if q.from == "" {
		for _, pr := range presets {
			if pr.Key == q.preset {
				rep.PeriodName = pr.Label.In(d.Lang)
			}
		}
	}
	return rep
}

// panelWho is whose deals and activities a panel counts, by name: the
// manager chosen, the signed-in user on their own pages, else the team.
func panelWho(d *pageData, body *dashboardBody, q dashQuery) string {
	switch {
	case q.personal || q.manager == d.User.UserID && q.manager != 0:
		return d.User.Name
	case q.manager != 0:
		want := strconv.FormatInt(q.manager, 10)
		for _, o := range body.Managers {
			if o.Value == want {
				return o.Label
			}
		}
	}
	return d.T("team")
}

// panelChartDef is the kind of report a panel runs, as far as the
// workbook's chart needs it (reports/xlsx picks the chart by kind as for
// the API's export): the funnel's bars, the stage percentages' columns,
// the won amount's line by month; nil (no chart) for the others, as the
// API's export of their kinds has none.
func panelChartDef(id, pl string) *reports.Definition {
	switch id {
	case "funnel":
		return &reports.Definition{Kind: reports.KindFunnel}
	case "stages":
		return &reports.Definition{Kind: reports.KindStagePercentages}
	case "won_month":
		def := standardDef("won_by_month", pl)
		def.Period = nil
		return &def
	case "receivables", "receivables_companies": // per manager: stacked columns; per manager and company: none
		return &reports.Definition{Kind: reports.KindReceivables}
	case "acts_payments":
		return &reports.Definition{Kind: reports.KindActsPayments}
	case "payments_plan":
		return &reports.Definition{Kind: reports.KindPaymentsPlanFact}
	}
	return nil
}
