package api

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

// nonAnalysts record activities, bills and deal items: every role but analyst.
var nonAnalysts = []domain.Role{domain.RoleAdmin, domain.RoleDirector, domain.RoleManager}

// activityRoutes: calls, e-mails, meetings and tasks. A manager sees the
// activities they own and those of the deals and leads they see.
func (s *handlers) activityRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Path: "/activities", Summary: "Activities the caller may see, newest first (from/to: RFC 3339, or dates in Moscow time, both inclusive)",
			Handler: s.listActivities, Answer: list[crmcore.Activity]{},
			Query: []string{"owner_id", "deal_id", "lead_id", "type", "from", "to", "limit", "offset"}},
		{Method: "POST", Path: "/activities", Summary: "Record an activity (owner defaults to the caller)", Roles: nonAnalysts,
			Handler: createVia(s.Store.CreateActivity), Body: crmcore.NewActivity{}, Answer: crmcore.Activity{}},
		{Method: "GET", Path: "/activities/:id", Summary: "One activity",
			Handler: getVia(s.Store.GetActivity), Answer: crmcore.Activity{}},
		{Method: "PATCH", Path: "/activities/:id", Summary: "Change the subject, due or done time (done_at marks a task done)", Roles: nonAnalysts,
			Handler: patchVia(s.Store.UpdateActivity), Body: crmcore.ActivityPatch{}, Answer: crmcore.Activity{}},
	}
}

func (s *handlers) listActivities(c *fiber.Ctx) error {
	f := crmcore.ActivityFilter{Type: c.Query("type")}
	var err error
	for name, dst := range map[string]*int64{"owner_id": &f.OwnerID, "deal_id": &f.DealID, "lead_id": &f.LeadID} {
		if *dst, err = queryIDParam(c, name); err != nil {
			return err
		}
	}
	if f.From, err = queryTime(c, "from", false); err != nil {
		return err
	}
	if f.To, err = queryTime(c, "to", true); err != nil {
		return err
	}
	if f.Limit, f.Offset, err = pageParams(c); err != nil {
		return err
	}
	items, total, err := s.Store.ListActivities(c.UserContext(), server.Principal(c), f)
	return sendPage(c, items, total, f.Limit, f.Offset, err)
}

// dateZone is the time zone of dates in queries: Moscow (no daylight saving since 2014).
var dateZone = time.FixedZone("MSK", 3*60*60)

// queryTime reads an RFC 3339 timestamp or a YYYY-MM-DD date (midnight in
// Moscow); for an upper bound a date is inclusive, so it becomes the next
// midnight. The result is the bound to compare with < (upper) or >=.
func queryTime(c *fiber.Ctx, name string, upper bool) (*time.Time, error) {
	raw := c.Query(name)
	if raw == "" {
		return nil, nil
	}
	if t, err := time.Parse(time.RFC3339, raw); err == nil {
		return &t, nil
	}
	t, err := time.ParseInLocation(time.DateOnly, raw, dateZone)
	if err != nil {
		return nil, apperr.Field(name, "invalid_value", "must be an RFC 3339 timestamp or a YYYY-MM-DD date")
	}
	if upper {
		t = t.AddDate(0, 0, 1)
	}
	return &t, nil
}
