package kinds

import (
	"context"
	"maps"
	"strings"
	"time"

	sq "github.com/Masterminds/squirrel"
	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/olap"
)

// managerFigures are one user's figures over a period, for the manager
// activity and activities-against-outcomes kinds. Activities count for
// their owner, by done_at in the period (calls and e-mails are done when
// they happen; a meeting is held, a task done, when done_at is set);
// overdue tasks are those not done with due_at before now. Deal figures
// count for the deal's current responsible: created (created_at in the
// period), won and closed (closed_at in the period and now in a won, or
// a won or lost, stage), forward moves (stage changes in the period from
// an open stage to an open or won stage further on). With a pipeline
// (params.pipeline) only its deals count, and only the activities on
// them.
type managerFigures struct {
	calls, emails, meetings, tasksDone, overdue int64
	dealCalls, dealEmails, dealMeetings         int64 // of those, on a deal
	created, won, closed, moves, movedDeals     int64
	wonAmount                                   decimal.Decimal
	wonDays                                     float64 // summed over won deals
}

// managerSet is every user's figures, by user id as text.
type managerSet map[string]*managerFigures

func (m managerSet) of(who string) *managerFigures {
	f, ok := m[who]
	if !ok {
		f = &managerFigures{}
		m[who] = f
	}
	return f
}

// managerFigures runs the three queries of the run's period for its
// principal.
func (r *run) managerFigures(ctx context.Context) (managerSet, error) {
	out := managerSet{}
	stages, err := r.dealStages(ctx)
	if err != nil {
		return nil, err
	}
	set := r.managerDeals()
	for _, step := range []func(context.Context, dealSet, *pipelineMeta, managerSet) error{
		r.activityFigures, r.dealFigures, r.moveFigures} {
		if err := step(ctx, set, stages, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// managerDeals is the deal set the figures read, keyed by responsible:
// deals closed or moved in the period were created any time before.
func (r *run) managerDeals() dealSet {
	set := r.deals("toString(responsible_id)", nil)
	set.from = time.Time{}
	return set
}

// activityCounts are what the activity figures count, as predicates over
// activityRows (key, predicate), in the order activityFigures scans
// them: the number and its drill (activityIDs) read the same ones.
var activityCounts = []struct{ key, pred string }{
	{"calls", "type = 'call' AND done_in"}, {"emails", "type = 'email' AND done_in"},
	{"meetings", "type = 'meeting' AND done_in"}, {"tasks_done", "type = 'task' AND done_in"},
	{"tasks_overdue", "type = 'task' AND overdue"},
	{"deal_calls", "type = 'call' AND done_in AND on_deal"}, {"deal_emails", "type = 'email' AND done_in AND on_deal"},
	{"deal_meetings", "type = 'meeting' AND done_in AND on_deal"},
}

// activityRows are the activities p may see (with a pipeline, those on
// its deals): id, owner (who, as text), type and the flags the counts
// test: on a deal, done in the period, a task overdue now.
func (r *run) activityRows(set dealSet) olap.Fragment {
	return olap.Template{Text: `SELECT id, toString(owner_id) AS who, type, isNotNull(deal_id) AS on_deal,
         ifNull(done_at >= toDateTime({from}, 'UTC') AND done_at < toDateTime({to}, 'UTC'), 0) AS done_in,
         isNull(done_at) AND ifNull(due_at < toDateTime({now}, 'UTC'), 0) AS overdue
  FROM ` + r.db.Table("activities") + ` FINAL
  WHERE _deleted = 0 AND ({access}) AND ({on})`, Slots: olap.Slots{"from": r.from.Unix(), "to": r.to.Unix(), "now": r.now.Unix(),
		"access": r.access().Activities("owner_id", "deal_id", "lead_id"), "on": r.onPipelineDeals(set)}}
}

// activityFigures counts activities by owner (with a pipeline, those on
// its deals).
func (r *run) activityFigures(ctx context.Context, set dealSet, _ *pipelineMeta, out managerSet) error {
	var counts []string
	for _, c := range activityCounts {
		counts = append(counts, "countIf("+c.pred+")")
	}
	q := olap.Template{Text: "SELECT who, " + strings.Join(counts, ", ") + `
FROM ({rows})
WHERE done_in OR overdue
GROUP BY who`, Slots: olap.Slots{"rows": r.activityRows(set)}}
	return r.each(ctx, "activities by manager", q, func(scan func(...any) error) error {
		var who string
		var c [8]uint64
		if err := scan(&who, &c[0], &c[1], &c[2], &c[3], &c[4], &c[5], &c[6], &c[7]); err != nil {
			return err
		}
		f := out.of(who)
		f.calls, f.emails, f.meetings, f.tasksDone, f.overdue = int64(c[0]), int64(c[1]), int64(c[2]), int64(c[3]), int64(c[4])
		f.dealCalls, f.dealEmails, f.dealMeetings = int64(c[5]), int64(c[6]), int64(c[7])
		return nil
	})
}

// onPipelineDeals is the condition on activities of a run over one
// pipeline: on one of its deals in set, whenever created (before the
// period's end or now, whichever is later: a task overdue now may sit on
// a deal created after a past period). Without a pipeline every activity
// passes.
func (r *run) onPipelineDeals(set dealSet) sq.Sqlizer {
	if r.meta == nil {
		return sq.Expr("1 = 1")
	}
	set.from = time.Time{}
	if now := r.now.Add(time.Second); set.to.Before(now) {
		set.to = now
	}
	return olap.Template{Text: "deal_id IN ({deals})", Slots: olap.Slots{"deals": set.ids()}}
}

// dealCounts are the deal figures' predicates over dealRows by key:
// created in the period, won (closed in it, now in a won stage) and
// closed (won or lost); the amount and the days to win sum over won.
var dealCounts = map[string]string{
	"created": "created_in",
	"won":     "kind = 'won' AND closed_in",
	"closed":  "kind IN ('won', 'lost') AND closed_in",
}

// dealRows are set's deals (created before the period's end): deal_id,
// responsible (who), created_at, closed_at, rub, the stage's kind and
// whether it was created, and closed, in the period.
func (r *run) dealRows(set dealSet, stages *pipelineMeta) olap.Fragment {
	ids, kinds, _ := stages.forwardArrays()
	return olap.Template{Text: `SELECT deal_id, key AS who, created_at, closed_at, rub, transform(stage_id, {ids}, {kinds}, '') AS kind,
         created_at >= toDateTime({from}, 'UTC') AS created_in,
         ifNull(closed_at >= toDateTime({from}, 'UTC') AND closed_at < toDateTime({to}, 'UTC'), 0) AS closed_in
  FROM ({rows})`, Slots: olap.Slots{"from": r.from.Unix(), "to": r.to.Unix(), "ids": ids, "kinds": kinds, "rows": set.rows()}}
}

// dealFigures counts deals created, won and closed by responsible.
func (r *run) dealFigures(ctx context.Context, set dealSet, stages *pipelineMeta, out managerSet) error {
	won := dealCounts["won"]
	q := olap.Template{Text: `SELECT who, countIf(` + dealCounts["created"] + `), countIf(` + won + `),
       sumIf(rub, ` + won + `), countIf(` + dealCounts["closed"] + `),
       sumIf((toInt64(assumeNotNull(closed_at)) - toInt64(created_at)) / 86400, ` + won + `)
FROM ({rows})
GROUP BY who`, Slots: olap.Slots{"rows": r.dealRows(set, stages)}}
	return r.each(ctx, "deals by manager", q, func(scan func(...any) error) error {
		var who string
		var created, won, closed uint64
		var amount decimal.Decimal
		var days float64
		if err := scan(&who, &created, &won, &amount, &closed, &days); err != nil {
			return err
		}
		f := out.of(who)
		f.created, f.won, f.wonAmount, f.closed, f.wonDays = int64(created), int64(won), amount, int64(closed), days
		return nil
	})
}

// forwardMove is the test of one stage change (at time t from stage f,
// 0 for none, to stage s: column names or lambda variables) for a
// forward move in the period: from an open stage to an open or won one
// further on. Its slots are from, to, ids, kinds, pos (forwardArrays).
func forwardMove(t, f, s string) string {
	return t + " >= toDateTime({from}, 'UTC') AND " + t + " < toDateTime({to}, 'UTC')" +
		" AND transform(" + f + ", {ids}, {kinds}, '') = 'open' AND has(['open', 'won'], transform(" + s + ", {ids}, {kinds}, ''))" +
		" AND transform(" + s + ", {ids}, {pos}, 0) > transform(" + f + ", {ids}, {pos}, 0)"
}

// moveSlots are forwardMove's slots for the run's period.
func (r *run) moveSlots(stages *pipelineMeta, more olap.Slots) olap.Slots {
	ids, kinds, pos := stages.forwardArrays()
	s := olap.Slots{"from": r.from.Unix(), "to": r.to.Unix(), "ids": ids, "kinds": kinds, "pos": pos}
	maps.Copy(s, more)
	return s
}

// moveRows are set's deals with their forward moves in the period (m):
// deal_id, responsible (who), m, counted on the deal's path (deal_facts:
// the live stage changes, each with the stage it left, a missing one as
// 0). Measured on 1 M deals: 3.4× cheaper than reading stage_changes and
// joining the deals' keys (BENCHMARKS.md, "Fresh answers").
func (r *run) moveRows(set dealSet, stages *pipelineMeta) olap.Fragment {
	return olap.Template{Text: `SELECT deal_id, key AS who, arrayCount((t, f, s) -> ` + forwardMove("t", "f", "s") + `, times, froms, stages) AS m
  FROM ({rows})`, Slots: r.moveSlots(stages, olap.Slots{
		"rows": set.source(sq.Select("id AS deal_id", set.keyExpr()+" AS key", "times", "froms", "stages"))})}
}

// movedPred is a deal of moveRows moved forward in the period.
const movedPred = "m > 0"

// moveFigures counts forward moves, and the deals moved forward, by the
// deal's responsible.
func (r *run) moveFigures(ctx context.Context, set dealSet, stages *pipelineMeta, out managerSet) error {
	q := olap.Template{Text: `SELECT who, sum(m), countIf(` + movedPred + `)
FROM ({rows})
GROUP BY who
HAVING sum(m) > 0`, Slots: olap.Slots{"rows": r.moveRows(set, stages)}}
	return r.each(ctx, "moves by manager", q, func(scan func(...any) error) error {
		var who string
		var moves, deals uint64
		if err := scan(&who, &moves, &deals); err != nil {
			return err
		}
		f := out.of(who)
		f.moves, f.movedDeals = int64(moves), int64(deals)
		return nil
	})
}

// zero reports whether the user has nothing to show for the period.
func (f *managerFigures) zero() bool {
	return f.calls+f.emails+f.meetings+f.tasksDone+f.overdue+f.created+f.won+f.closed+f.moves == 0
}

// team adds every user's figures up.
func (m managerSet) team() *managerFigures {
	t := &managerFigures{}
	for _, f := range m {
		t.calls, t.emails, t.meetings = t.calls+f.calls, t.emails+f.emails, t.meetings+f.meetings
		t.tasksDone, t.overdue = t.tasksDone+f.tasksDone, t.overdue+f.overdue
		t.dealCalls, t.dealEmails, t.dealMeetings = t.dealCalls+f.dealCalls, t.dealEmails+f.dealEmails, t.dealMeetings+f.dealMeetings
		t.created, t.won, t.closed = t.created+f.created, t.won+f.won, t.closed+f.closed
		t.moves, t.movedDeals = t.moves+f.moves, t.movedDeals+f.movedDeals
		t.wonAmount, t.wonDays = t.wonAmount.Add(f.wonAmount), t.wonDays+f.wonDays
	}
	return t
}

// sortedUsers lists the users with something to show, labelled and
// sorted by name, then id.
func sortedUsers(ctx context.Context, db *olap.DB, m managerSet) ([]string, map[string]string, error) {
	var keys []string
	for k, f := range m {
		if !f.zero() {
			keys = append(keys, k)
		}
	}
	labels, err := lookupLabels(ctx, db, "users", keys)
	if err != nil {
		return nil, nil, err
	}
	sortRows(keys, func(a, b string) bool {
		if labels[a] != labels[b] {
			return labels[a] < labels[b]
		}
		return a < b
	})
	return keys, labels, nil
}
