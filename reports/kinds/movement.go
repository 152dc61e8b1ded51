package kinds

import (
	"context"
	"strconv"
	"time"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
)

func init() { RegisterKind(reports.KindStageMovement, movementKind{}) }

type movementKind struct{}

// movementParams: Pipeline (required); PerManager splits by manager.
type movementParams struct {
	Pipeline   string `json:"pipeline"`
	PerManager bool   `json:"per_manager,omitempty"`
}

func (movementKind) params(def *reports.Definition) (movementParams, error) {
	var p movementParams
	err := decodePipelineParams(def.Params, &p, &p.Pipeline)
	return p, err
}

// Plan validates params and the (required) period.
func (k movementKind) Plan(def *reports.Definition, p domain.Principal, now time.Time) (Plan, error) {
	par, err := k.params(def)
	if err != nil {
		return nil, err
	}
	sc, err := planScope(def, p, now, par.Pipeline, true)
	if err != nil {
		return nil, err
	}
	loc, err := periodLoc(def)
	if err != nil {
		return nil, err
	}
	return movementPlan{sc: sc, perManager: par.PerManager, loc: loc}, nil
}

type movementPlan struct {
	sc         *scope
	perManager bool
	loc        *time.Location // the period's zone: the drill's times
}

// movementStaysSQL is every stay of the set's deals that began in
// [from, to) in a step of the pipeline, classified: key (the manager
// key), deal_id, stage, secs, timed (whether its hours count) and its
// outcome (movementCounts' codes: 0 still there, 1 advanced, 2 skipped
// ahead, 3 went back, 4 lost, 5 paused). The answer counts these rows
// (movementSQL), a drill lists their deals (drillMovement).
func (r *run) movementStaysSQL(set dealSet) olap.Fragment {
	ids, steps, kinds := r.meta.stageArrays()
	keyed := set.withKeys("deal_id, change_id, stage, next_stage, ended, entered, secs", visitsSQL(r.db.Names, set.ids(), r.now))
	return olap.Template{Text: `SELECT key, deal_id, change_id, stage, secs, toUInt8(ended = 1 OR transform(stage, {ids}, {kinds}, '') = 'open') AS timed,
       transform(stage, {ids}, {steps}, 0) AS fs, transform(next_stage, {ids}, {steps}, 0) AS ns, transform(next_stage, {ids}, {kinds}, '') AS nk,
       multiIf(ended = 0, 0, nk = 'lost', 4, nk = 'paused', 5, ns = fs + 1, 1, ns > fs, 2, 3) AS outcome
FROM ({keyed})
WHERE entered >= toDateTime({from}, 'UTC') AND entered < toDateTime({to}, 'UTC') AND fs > 0`,
		Slots: olap.Slots{"ids": ids, "steps": steps, "kinds": kinds, "keyed": keyed, "from": r.from.Unix(), "to": r.to.Unix()}}
}

// movementSet is the deal set the movement counts stays of: any deal of
// the pipeline p may see with a stay that began in the period (created
// whenever), keyed by manager when per manager.
func (pl movementPlan) movementSet(r *run) dealSet {
	key := ""
	if pl.perManager {
		key = "toString(responsible_id)"
	}
	set := r.deals(key, nil)
	set.from = time.Time{} // any deal with a stay that began in the period
	return set
}

// movementSQL counts the stays (movementStaysSQL) and their outcomes,
// with the exact median and p90 hours (percentile_cont's definition;
// quantile() samples past 8,192 stays), per (manager key, stage).
func (r *run) movementSQL(set dealSet) olap.Fragment {
	counts := ""
	for _, c := range movementCounts {
		counts += ", countIf(outcome = " + strconv.Itoa(c.outcome) + ") AS " + c.col
	}
	return olap.Template{Text: `SELECT key, stage, entries, advanced, skipped_ahead, went_back, lost, paused, still_there,
       ` + exactQuantileSQL("tv", "0.5") + ` / 3600 AS med, ` + exactQuantileSQL("tv", "0.9") + ` / 3600 AS p90
FROM (
  SELECT key, stage, count() AS entries` + counts + `,
         arraySort(groupArrayIf(secs, timed)) AS tv
  FROM ({stays})
  GROUP BY key, stage
)`, Slots: olap.Slots{"stays": r.movementStaysSQL(set)}}
}

// movementCounts are the outcome columns and the outcome code each
// counts, in the order of the answer's columns (movementOutcomes).
var movementCounts = []struct {
	col     string
	outcome int
}{{"advanced", 1}, {"skipped_ahead", 2}, {"went_back", 3}, {"lost", 4}, {"paused", 5}, {"still_there", 0}}

// movementRow is one (manager, stage) row's figures.
type movementRow struct {
	key      string
	stage    int64
	counts   [7]uint64 // entries, advanced, skipped, back, lost, paused, still
	med, p90 float64
}

// Run counts p's stays of the period.
func (pl movementPlan) Run(ctx context.Context, db *olap.DB) (*reports.Result, error) {
	start := time.Now()
	r, err := pl.sc.start(ctx, db)
	if err != nil {
		return nil, err
	}
	var rows []movementRow
	err = r.each(ctx, "stage movement", r.movementSQL(pl.movementSet(r)), func(scan func(...any) error) error {
		var m movementRow
		c := &m.counts
		if err := scan(&m.key, &m.stage, &c[0], &c[1], &c[2], &c[3], &c[4], &c[5], &c[6], &m.med, &m.p90); err != nil {
			return err
		}
		rows = append(rows, m)
		return nil
	})
	if err != nil {
		return nil, err
	}
	res, err := movementResult(ctx, db, r.lang, r.meta, rows, pl.perManager)
	if err != nil {
		return nil, err
	}
	res.Meta = r.resultMeta(start, r.sqlTime, len(res.Rows))
	return res, nil
}

// movementResult orders rows by manager name and stage position and
// renders them; the totals add up the counts.
func movementResult(ctx context.Context, db *olap.DB, lang string, m *pipelineMeta, rows []movementRow, perManager bool) (*reports.Result, error) {
	labels := map[string]string{}
	if perManager {
		var keys []string
		for _, r := range rows {
			keys = append(keys, r.key)
		}
		var err error
		if labels, err = lookupLabels(ctx, db, "users", keys); err != nil {
			return nil, err
		}
	}
	pos := func(id int64) int32 { s, _ := m.byID(id); return s.Position }
	sortRows(rows, func(a, b movementRow) bool {
		if labels[a.key] != labels[b.key] {
			return labels[a.key] < labels[b.key]
		}
		if a.key != b.key {
			return a.key < b.key
		}
		return pos(a.stage) < pos(b.stage)
	})
	res := &reports.Result{Columns: movementColumns(lang, perManager)}
	var total [7]uint64
	for _, r := range rows {
		s, _ := m.byID(r.stage)
		var row []any
		if perManager {
			row = append(row, r.key, labels[r.key])
		}
		row = append(row, s.Code, s.Name)
		for i, c := range r.counts {
			row = append(row, int64(c))
			total[i] += c
		}
		res.Rows = append(res.Rows, append(row, hoursCell(r.med), hoursCell(r.p90)))
	}
	res.Totals = make([]any, len(res.Columns))
	for i, c := range total {
		res.Totals[len(res.Columns)-9+i] = int64(c)
	}
	return res, nil
}

// hoursCell rounds hours to two decimals; NaN (no stay) is null.
func hoursCell(h float64) any {
	if h != h {
		return nil
	}
	return roundHours(h)
}

func movementColumns(lang string, perManager bool) []reports.Column {
	var specs []colSpec
	if perManager {
		specs = append(specs, colSpec{"responsible", i18n.T("Ответственный (ID)", "Responsible (id)"), reports.TypeInteger, i18n.Text{}},
			colSpec{"responsible_name", i18n.T("Ответственный", "Responsible"), reports.TypeString, i18n.T("Текущий ответственный за сделку.", "The deal's current responsible.")})
	}
	specs = append(specs, colSpec{"stage", i18n.T("Стадия (код)", "Stage (code)"), reports.TypeString, i18n.Text{}},
		colSpec{"stage_name", i18n.T("Стадия", "Stage"), reports.TypeString, i18n.T("Текущее название стадии.", "The stage's current name.")},
		colSpec{"entries", i18n.T("Заходов", "Entries"), reports.TypeInteger, i18n.T("Переходы сделок в стадию за период.", "Moves of deals into the stage in the period.")})
	specs = append(specs, movementOutcomes...)
	return kindColumns(lang, append(specs,
		colSpec{"median_hours", i18n.T("Медиана часов в стадии", "Median hours in stage"), reports.TypeNumber, hoursDef},
		colSpec{"p90_hours", i18n.T("90-й процентиль часов", "90th percentile hours"), reports.TypeNumber, hoursDef})...)
}

// hoursDef is the definition of the hours-in-stage columns.
var hoursDef = i18n.T("Длительность захода: до следующего перехода; незавершённый заход в открытой стадии — до текущего момента, в выигранной не учитывается.",
	"A stay lasts until the next move; an unfinished stay in an open stage counts up to now, one in a won stage is left out.")

// movementOutcomes are the outcome columns: where the next move went.
var movementOutcomes = []colSpec{
	{"advanced", i18n.T("Перешли дальше", "Advanced"), reports.TypeInteger, i18n.T("Следующий переход — на следующий шаг.", "The next move went to the next step.")},
	{"skipped_ahead", i18n.T("Перескочили", "Skipped ahead"), reports.TypeInteger, i18n.T("Следующий переход — дальше следующего шага.", "The next move went past the next step.")},
	{"went_back", i18n.T("Вернулись", "Went back"), reports.TypeInteger, i18n.T("Следующий переход — на более ранний шаг.", "The next move went to an earlier step.")},
	{"lost", i18n.T("Проиграны", "Lost"), reports.TypeInteger, i18n.T("Следующий переход — в проигранную стадию.", "The next move went to a lost stage.")},
	{"paused", i18n.T("На паузе", "Paused"), reports.TypeInteger, i18n.T("Следующий переход — в стадию паузы.", "The next move went to a paused stage.")},
	{"still_there", i18n.T("Остаются", "Still there"), reports.TypeInteger, i18n.T("Переходов из стадии после захода ещё не было.", "No move out of the stage since.")},
}
