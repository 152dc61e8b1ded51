package pages

import (
	"context"
	"sort"
	"time"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
)

// moscow is the zone "today" is counted in (as the reports' default).
var moscow = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Moscow"); err == nil {
		return l
	}
	return time.FixedZone("MSK", 3*3600)
}()

// dueItem is one of the signed-in user's open activities due by today.
type dueItem struct {
	Subject, Type string
	DueAt         time.Time
	DealID        *int64
	Overdue       bool
}

// dueActivities lists p's own activities not done and due today or
// earlier (overdue first), among their latest ListLimitMax activities.
func (s *handlers) dueActivities(ctx context.Context, p domain.Principal, now time.Time) ([]dueItem, error) {
	acts, _, err := s.Store.ListActivities(ctx, p, crmcore.ActivityFilter{OwnerID: p.UserID, Limit: crmcore.ListLimitMax})
	if err != nil {
		return nil, err
	}
	local := now.In(moscow)
	endOfDay := time.Date(local.Year(), local.Month(), local.Day()+1, 0, 0, 0, 0, moscow)
	var out []dueItem
	for _, a := range acts {
		if a.DoneAt != nil || a.DueAt == nil || !a.DueAt.Before(endOfDay) {
			continue
		}
		out = append(out, dueItem{Subject: a.Subject, Type: a.Type, DueAt: a.DueAt.In(moscow), DealID: a.DealID,
			Overdue: a.DueAt.Before(now)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].DueAt.Before(out[j].DueAt) })
	return out, nil
}
