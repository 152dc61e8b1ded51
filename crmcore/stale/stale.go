// Package stale is the PostgreSQL side of stale deals (issue 20): which
// open deals have gone idle past their stage's rule, and which have no
// next task, read by the kanban, the deal page and the manager's
// dashboard. The definition (docs/reports.md, "Stale deals") is written
// once here, in idleSQL; the stale_deals report writes it once for the
// ClickHouse copy (reports/kinds/stale.go), and tests hold the two to
// each other.
package stale

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/internal/pgerr"
)

// Day is the length of a day idle: whole 24-hour periods, not calendar
// days, so the answer is the same in every time zone.
const Day = 24 * time.Hour

// Querier is what the package reads through: a pool or a transaction.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// Deal is one open deal's idleness. Since is the later of its last
// stage change (its creation when it has none) and its last activity
// (an activity's done_at, or its created_at while not done); Days the
// whole days from Since to now (0 when Since is ahead). It is Stale when
// its stage has a rule (Rule, days) and Days ≥ Rule; NoTask when no task
// on it is still to do.
type Deal struct {
	ID            int64
	Title         string
	StageID       int64
	StageName     string
	ResponsibleID int64
	Since         time.Time
	Days          int
	Rule          *int
	Stale         bool
	NoTask        bool
}

// idleSQL is the definition: every open deal (its stage neither won nor
// lost) with its idleness at $1 — since, whole days idle, the stage's
// rule, stale (at least rule × 24 hours idle) and no_task — for the
// deals the condition appended after it selects (an AND on deals d).
const idleSQL = `
SELECT d.id,
       d.title,
       d.stage_id,
       s.name,
       d.responsible_id,
       i.since,
       floor(extract(epoch FROM greatest($1::timestamptz - i.since, interval '0')) / 86400)::int AS days,
       s.stale_days,
       s.stale_days IS NOT NULL AND i.since <= $1::timestamptz - make_interval(secs => 86400 * s.stale_days) AS stale,
       NOT EXISTS (SELECT 1 FROM activities t
                   WHERE t.deal_id = d.id AND t.type = 'task' AND t.done_at IS NULL) AS no_task
FROM deals d
JOIN stages s ON s.id = d.stage_id
CROSS JOIN LATERAL (
    SELECT greatest(
        coalesce((SELECT max(c.changed_at) FROM stage_changes c WHERE c.deal_id = d.id), d.created_at),
        (SELECT max(coalesce(a.done_at, a.created_at)) FROM activities a WHERE a.deal_id = d.id)) AS since
) i
WHERE s.kind NOT IN ('won', 'lost')`

// Of reads the idleness at now of the open deals among ids (a closed
// deal, or one not there, is not in the answer). The caller has checked
// that its user may read them.
func Of(ctx context.Context, q Querier, now time.Time, ids []int64) (map[int64]Deal, error) {
	out := map[int64]Deal{}
	if len(ids) == 0 {
		return out, nil
	}
	list, err := read(ctx, q, idleSQL+"\n  AND d.id = ANY($2)", now, ids)
	for _, d := range list {
		out[d.ID] = d
	}
	return out, err
}

// OfResponsible lists, at now, the open deals of one responsible user
// that are stale or have no next task, the stalest first (a stage's
// deals together: by stage position, then days idle, most first). The
// caller has checked that its user may read that user's deals.
func OfResponsible(ctx context.Context, q Querier, now time.Time, user int64) ([]Deal, error) {
	return read(ctx, q, `SELECT x.* FROM (`+idleSQL+`
  AND d.responsible_id = $2) x
JOIN stages s ON s.id = x.stage_id
WHERE x.stale OR x.no_task
ORDER BY s.pipeline_id, s.position, x.days DESC, x.id`, now, user)
}

func read(ctx context.Context, q Querier, sql string, args ...any) ([]Deal, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, pgerr.Translate(err, "stale deals")
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Deal, error) {
		var d Deal
		err := r.Scan(&d.ID, &d.Title, &d.StageID, &d.StageName, &d.ResponsibleID, &d.Since, &d.Days, &d.Rule, &d.Stale, &d.NoTask)
		return d, err
	})
	return list, pgerr.Translate(err, "stale deals")
}

// RuleDays is the stage's rule in days, 0 without one.
func (d Deal) RuleDays() int {
	if d.Rule == nil {
		return 0
	}
	return *d.Rule
}
