package kinds

import (
	"context"
	"strconv"
	"time"

	sq "github.com/Masterminds/squirrel"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
)

func init() { RegisterKind(reports.KindActivityHeatmap, heatmapKind{}) }

// heatmapKind counts activities per owner and time bucket (see
// reports.KindActivityHeatmap).
type heatmapKind struct{}

// heatmapParams: Pipeline (optional) counts only activities on that deal
// pipeline's deals; Owner (optional, a user id) only that user's; Grain
// is day, week or month (empty: by the period's length, autoGrain).
type heatmapParams struct {
	Pipeline string `json:"pipeline,omitempty"`
	Owner    int64  `json:"owner,omitempty"`
	Grain    string `json:"grain,omitempty"`
}

// heatmapGrains are the buckets by grain: the bucket of created_at in
// the period's zone (a week starts on Monday).
var heatmapGrains = map[string]string{
	"day":   "toDate(created_at, {tz})",
	"week":  "toMonday(toDate(created_at, {tz}))",
	"month": "toStartOfMonth(toDate(created_at, {tz}))",
}

// autoGrain is the grain that keeps a period's buckets few: days up to
// 62 days (two months of columns), weeks up to two years (105 columns),
// months beyond.
func autoGrain(from, to time.Time) string {
	switch span := to.Sub(from); {
	case span <= 62*24*time.Hour:
		return "day"
	case span <= 731*24*time.Hour:
		return "week"
	}
	return "month"
}

// Plan checks the params and the (required) period and picks the grain.
func (heatmapKind) Plan(def *reports.Definition, p domain.Principal, now time.Time) (Plan, error) {
	var par heatmapParams
	if err := decodeKindParams(def.Params, &par); err != nil {
		return nil, err
	}
	if _, ok := heatmapGrains[par.Grain]; !ok && par.Grain != "" {
		return nil, &apperr.Error{Kind: apperr.Invalid, Code: "unknown_grain", Field: "params.grain",
			Message: "grain is day, week or month", Details: map[string]any{"allowed": []string{"day", "week", "month"}}}
	}
	if par.Owner < 0 {
		return nil, apperr.Field("params.owner", "out_of_range", "a user id (a positive number)")
	}
	sc, err := planScope(def, p, now, par.Pipeline, true)
	if err != nil {
		return nil, err
	}
	if par.Grain == "" {
		par.Grain = autoGrain(sc.from, sc.to)
	}
	tz := reports.DefaultTZ
	if def.Period.TZ != "" {
		tz = def.Period.TZ
	}
	return heatmapPlan{sc: sc, grain: par.Grain, owner: par.Owner, tz: tz}, nil
}

type heatmapPlan struct {
	sc        *scope
	grain, tz string
	owner     int64
}

// heatmapCell is one owner's activities in one bucket.
type heatmapCell struct {
	who, bucket string
	n           int64
}

// Run counts the activities p may see by owner and bucket.
func (pl heatmapPlan) Run(ctx context.Context, db *olap.DB) (*reports.Result, error) {
	start := time.Now()
	r, err := pl.sc.start(ctx, db)
	if err != nil {
		return nil, err
	}
	var cells []heatmapCell
	err = r.each(ctx, "activities by owner and "+pl.grain, pl.sql(r), func(scan func(...any) error) error {
		var c heatmapCell
		var n uint64
		err := scan(&c.who, &c.bucket, &n)
		c.n = int64(n)
		cells = append(cells, c)
		return err
	})
	if err != nil {
		return nil, err
	}
	res, err := pl.result(ctx, db, cells)
	if err != nil {
		return nil, err
	}
	res.Meta = r.resultMeta(start, r.sqlTime, len(res.Rows))
	return res, nil
}

// sql counts the activities of the run's period that p may see (on the
// pipeline's deals, of the owner, when given) by owner and bucket.
func (pl heatmapPlan) sql(r *run) olap.Fragment {
	return olap.Template{Text: `SELECT who, bucket, count() AS n
FROM ({rows})
GROUP BY who, bucket`, Slots: olap.Slots{"rows": pl.rows(r)}}
}

// rows are the activities the heatmap counts: id, owner (who, as text)
// and bucket (its start as text, 2025-01-31); the number and its drill
// read the same rows.
func (pl heatmapPlan) rows(r *run) olap.Fragment {
	cond := sq.And{r.onPipelineDeals(r.deals("", nil))}
	if pl.owner != 0 {
		cond = append(cond, sq.Eq{"owner_id": pl.owner})
	}
	return olap.Template{Text: `SELECT id, toString(owner_id) AS who, toString(` + heatmapGrains[pl.grain] + `) AS bucket
  FROM ` + r.db.Table("activities") + ` FINAL
  WHERE _deleted = 0 AND ({access}) AND ({on})
    AND created_at >= toDateTime({from}, 'UTC') AND created_at < toDateTime({to}, 'UTC')`,
		Slots: olap.Slots{"tz": pl.tz, "from": r.from.Unix(), "to": r.to.Unix(), "on": cond,
			"access": r.access().Activities("owner_id", "deal_id", "lead_id")}}
}

// result labels the owners and lists the cells by owner name, then id,
// then bucket; the total counts every activity.
func (pl heatmapPlan) result(ctx context.Context, db *olap.DB, cells []heatmapCell) (*reports.Result, error) {
	var who []string
	seen := map[string]bool{}
	for _, c := range cells {
		if !seen[c.who] {
			seen[c.who] = true
			who = append(who, c.who)
		}
	}
	labels, err := lookupLabels(ctx, db, "users", who)
	if err != nil {
		return nil, err
	}
	sortRows(cells, func(a, b heatmapCell) bool {
		switch {
		case labels[a.who] != labels[b.who]:
			return labels[a.who] < labels[b.who]
		case a.who != b.who:
			return a.who < b.who
		}
		return a.bucket < b.bucket
	})
	res := &reports.Result{Columns: heatmapColumns(pl.sc.lang, pl.grain)}
	var total int64
	for _, c := range cells {
		id, _ := strconv.ParseInt(c.who, 10, 64)
		res.Rows = append(res.Rows, []any{id, labels[c.who], c.bucket, c.n})
		total += c.n
	}
	res.Totals = []any{nil, nil, nil, total}
	return res, nil
}

// heatmapBuckets are the bucket column's label by grain.
var heatmapBuckets = map[string]i18n.Text{
	"day":   i18n.T("День", "Day"),
	"week":  i18n.T("Неделя (с понедельника)", "Week (from Monday)"),
	"month": i18n.T("Месяц", "Month"),
}

func heatmapColumns(lang, grain string) []reports.Column {
	return kindColumns(lang,
		colSpec{"owner", i18n.T("Исполнитель (ID)", "Owner (id)"), reports.TypeInteger, i18n.Text{}},
		colSpec{"owner_name", i18n.T("Исполнитель", "Owner"), reports.TypeString, i18n.T("Владелец дела.", "The activity's owner.")},
		colSpec{"created_at_" + grain, heatmapBuckets[grain], reports.TypeDate,
			i18n.T("Начало дня, недели или месяца, в котором дело создано (в часовом поясе периода).",
				"The start of the day, week or month the activity was created in (in the period's time zone).")},
		colSpec{"count", i18n.T("Дел", "Activities"), reports.TypeInteger,
			i18n.T("Дела, созданные в периоде; с воронкой — только дела по её сделкам.",
				"Activities created in the period; with a pipeline, only those on its deals.")})
}
