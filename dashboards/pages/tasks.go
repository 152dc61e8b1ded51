package pages

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/crmcore/stale"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/reports"
)

// moscow is the zone "today" is counted in (as the reports' default).
var moscow = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Moscow"); err == nil {
		return l
	}
	return time.FixedZone("MSK", 3*3600)
}()

// dueItem is one of the signed-in user's open activities due by today;
// Observed marks one on a deal the user observes (another is
// responsible).
type dueItem struct {
	Subject, Type string
	DueAt         time.Time
	DealID        *int64
	Overdue       bool
	Observed      bool
}

// dueActivities lists p's own activities not done and due today or
// earlier (overdue first), reading all of them a page at a time.
func (s *handlers) dueActivities(ctx context.Context, p domain.Principal, now time.Time) ([]dueItem, error) {
	var out []dueItem
	for offset := 0; ; offset += crmcore.ListLimitMax {
		acts, total, err := s.Store.ListActivities(ctx, p, crmcore.ActivityFilter{OwnerID: p.UserID, Limit: crmcore.ListLimitMax, Offset: offset})
		if err != nil {
			return nil, err
		}
		out = appendDue(out, acts, now)
		if len(acts) == 0 || offset+len(acts) >= total {
			break
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].DueAt.Before(out[j].DueAt) })
	return out, nil
}

// appendDue adds the activities of acts not done and due by the end of
// today in Moscow.
func appendDue(out []dueItem, acts []crmcore.Activity, now time.Time) []dueItem {
	local := now.In(moscow)
	endOfDay := time.Date(local.Year(), local.Month(), local.Day()+1, 0, 0, 0, 0, moscow)
	for _, a := range acts {
		if a.DoneAt != nil || a.DueAt == nil || !a.DueAt.Before(endOfDay) {
			continue
		}
		out = append(out, dueItem{Subject: a.Subject, Type: a.Type, DueAt: a.DueAt.In(moscow), DealID: a.DealID,
			Overdue: a.DueAt.Before(now)})
	}
	return out
}

// personalFigures fills what the personal dashboard shows beside its
// panels: the activities due (those on deals the user only observes
// marked; the dashRows due last, saying how many there are) and the
// line of own and observed deals. The analytics parts are left out, and
// logged, when the report engine fails.
func (s *handlers) personalFigures(ctx context.Context, q dashQuery, body *dashboardBody, user domain.Principal) error {
	due, err := s.dueActivities(ctx, user, time.Now())
	if err != nil {
		return err
	}
	if body.Due = due; len(due) > dashRows {
		body.Due, body.DueNote = due[len(due)-dashRows:], fmt.Sprintf(q.t("due_shown"), countText(q.lang, dashRows), countText(q.lang, len(due)))
	}
	if body.Stale, err = stale.OfResponsible(ctx, s.Store.DB(), s.Store.Now(), user.UserID); err != nil {
		return err
	}
	body.staleCounts()
	if body.MyCounts, body.MyNone, err = s.personalCounts(ctx, q); err == nil {
		err = s.markObserved(ctx, q, body.Due)
	}
	if err != nil {
		s.Log.Error("personal dashboard figures failed", "err", err)
	}
	return nil
}

// markObserved marks the due items on deals whose responsible is not
// the user (deals they see as an observer).
func (s *handlers) markObserved(ctx context.Context, q dashQuery, due []dueItem) error {
	var ids []int64
	for _, d := range due {
		if d.DealID != nil {
			ids = append(ids, *d.DealID)
		}
	}
	if len(ids) == 0 || s.Reports == nil {
		return nil
	}
	in, _ := json.Marshal(ids)
	def := reports.Definition{Dataset: "deals", Dimensions: []reports.Dimension{{Field: "id"}},
		Measures: []reports.Measure{{Agg: reports.AggCount}},
		Filters: []reports.Filter{{Field: "id", Op: reports.OpIn, Value: in},
			{Field: "responsible", Op: reports.OpNe, Value: json.RawMessage(strconv.FormatInt(q.p.UserID, 10))}}}
	res, err := s.Reports.Run(ctx, q.p, &def)
	if err != nil {
		return err
	}
	observed := categories(res, "id")
	for i, d := range due {
		due[i].Observed = d.DealID != nil && slices.Contains(observed, strconv.FormatInt(*d.DealID, 10))
	}
	return nil
}

// staleCounts splits the user's deals that are stale or without a next
// task (crmcore/stale) into the panel's table of stale ones, by stage,
// and the count of those without a next task; the first row of each
// stage names it.
func (b *dashboardBody) staleCounts() {
	var rows []stale.Deal
	b.NoTask = 0
	for _, d := range b.Stale {
		if d.NoTask {
			b.NoTask++
		}
		if d.Stale {
			if len(rows) > 0 && rows[len(rows)-1].StageID == d.StageID {
				d.StageName = ""
			}
			rows = append(rows, d)
		}
	}
	b.Stale = rows
}
