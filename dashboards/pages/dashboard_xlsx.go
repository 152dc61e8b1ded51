package pages

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

// dashboardXLSX downloads one panel's table (?panel=) of a dashboard with
// the same filters as the page: the same report, run for the same user,
// so it holds exactly the rows the page shows.
func (s *handlers) dashboardXLSX(c *fiber.Ctx) error {
	which := c.Params("which")
	if which == "director" && server.Principal(c).Role == domain.RoleManager {
		which = "manager"
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
	return server.SendXLSX(c, s.pageLang(c), pn.Title, fmt.Sprintf("%s-%s-%s", which, id, q.preset), pn.result)
}
