package reports

import (
	"context"
	"time"

	"github.com/voronka/voronka/domain"
)

// KindStageMovement is stage movement accounting: for every entry into
// an open or won stage of the pipeline in the period, what the deal did
// next (its next stage change, whenever it came): advanced to the next
// step, skipped ahead past it, went back to an earlier step, was lost,
// was paused, or is still there. With the time each stay lasted as a
// distribution (median, 90th percentile): until the next change, or up
// to now for a stay still going on in an open stage (a stay in a won
// stage counts only once it ended). Rows by stage, or by manager (the
// deal's current responsible) and stage.
const KindStageMovement = "stage_movement"

func init() { RegisterKind(KindStageMovement, movementKind{}) }

type movementKind struct{}

// movementParams: Pipeline (required); PerManager splits by manager.
type movementParams struct {
	Pipeline   string `json:"pipeline"`
	PerManager bool   `json:"per_manager,omitempty"`
}

func (movementKind) params(def *Definition) (movementParams, error) {
	var p movementParams
	err := decodePipelineParams(def.Params, &p, &p.Pipeline)
	return p, err
}

// Validate checks params and the (required) period.
func (k movementKind) Validate(def *Definition) error {
	if _, err := k.params(def); err != nil {
		return err
	}
	return checkScope(def, true)
}

// movementSQL classifies every stay that began in [from, to) and counts
// outcomes, with the exact median and p90 hours (percentile_cont's
// definition; quantile() samples past 8,192 stays), per (manager key,
// stage).
// Outcome codes: 0 still there, 1 advanced, 2 skipped ahead, 3 went back,
// 4 lost, 5 paused.
func movementSQL(set dealSet, m *pipelineMeta, from, to, now time.Time) (string, []any, error) {
	ids, steps, kinds := m.stageArrays()
	idq, idargs, err := set.ids()
	if err != nil {
		return "", nil, err
	}
	keyed, kargs, err := set.withKeys("stage, next_stage, ended, entered, secs", visitsSQL(set.db, idq))
	if err != nil {
		return "", nil, err
	}
	q := `SELECT key, stage, entries, advanced, skipped, back, lost, paused, still,
       ` + exactQuantileSQL("tv", "0.5") + ` / 3600 AS med, ` + exactQuantileSQL("tv", "0.9") + ` / 3600 AS p90
FROM (
  SELECT key, stage, count() AS entries,
         countIf(outcome = 1) AS advanced, countIf(outcome = 2) AS skipped, countIf(outcome = 3) AS back,
         countIf(outcome = 4) AS lost, countIf(outcome = 5) AS paused, countIf(outcome = 0) AS still,
         arraySort(groupArrayIf(secs, timed)) AS tv
  FROM (
    SELECT key, stage, secs, toUInt8(ended = 1 OR transform(stage, ?, ?, '') = 'open') AS timed,
           transform(stage, ?, ?, 0) AS fs, transform(next_stage, ?, ?, 0) AS ns, transform(next_stage, ?, ?, '') AS nk,
           multiIf(ended = 0, 0, nk = 'lost', 4, nk = 'paused', 5, ns = fs + 1, 1, ns > fs, 2, 3) AS outcome
    FROM (` + keyed + `)
    WHERE entered >= toDateTime(?, 'UTC') AND entered < toDateTime(?, 'UTC') AND fs > 0
  )
  GROUP BY key, stage
)`
	args := []any{ids, kinds, ids, steps, ids, steps, ids, kinds, now.Unix()}
	args = append(append(args, idargs...), kargs...)
	return q, append(args, from.Unix(), to.Unix()), nil
}

// movementRow is one (manager, stage) row's figures.
type movementRow struct {
	key      string
	stage    int64
	counts   [7]uint64 // entries, advanced, skipped, back, lost, paused, still
	med, p90 float64
}

// Run counts p's stays of the period.
func (k movementKind) Run(ctx context.Context, e *Engine, p domain.Principal, def *Definition) (*Result, error) {
	start := time.Now()
	par, err := k.params(def)
	if err != nil {
		return nil, err
	}
	sc, err := e.scope(ctx, p, def, par.Pipeline)
	if err != nil {
		return nil, err
	}
	key := ""
	if par.PerManager {
		key = "toString(responsible_id)"
	}
	set, err := e.deals(sc, key)
	if err != nil {
		return nil, err
	}
	set.from = time.Time{} // any deal with a stay that began in the period
	q, args, err := movementSQL(set, sc.meta, sc.from, sc.to, sc.now)
	if err != nil {
		return nil, err
	}
	var rows []movementRow
	sqlStart := time.Now()
	err = e.kindQuery(ctx, "stage movement", q, args, func(scan func(...any) error) error {
		var r movementRow
		c := &r.counts
		if err := scan(&r.key, &r.stage, &c[0], &c[1], &c[2], &c[3], &c[4], &c[5], &c[6], &r.med, &r.p90); err != nil {
			return err
		}
		rows = append(rows, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sqlTime := time.Since(sqlStart)
	res, err := e.movementResult(ctx, def.Lang, sc.meta, rows, par.PerManager)
	if err != nil {
		return nil, err
	}
	res.Meta = sc.resultMeta(start, sqlTime, len(res.Rows))
	return res, nil
}

// movementResult orders rows by manager name and stage position and
// renders them; the totals add up the counts.
func (e *Engine) movementResult(ctx context.Context, lang string, m *pipelineMeta, rows []movementRow, perManager bool) (*Result, error) {
	labels := map[string]string{}
	if perManager {
		var keys []string
		for _, r := range rows {
			keys = append(keys, r.key)
		}
		var err error
		if labels, err = e.lookupLabels(ctx, "users", keys); err != nil {
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
	res := &Result{Columns: movementColumns(lang, perManager)}
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

func movementColumns(lang string, perManager bool) []Column {
	var specs []colSpec
	if perManager {
		specs = append(specs, colSpec{"responsible", "Ответственный (ID)", "Responsible (id)", TypeInteger, "", ""},
			colSpec{"responsible_name", "Ответственный", "Responsible", TypeString, "Текущий ответственный за сделку.", "The deal's current responsible."})
	}
	specs = append(specs, colSpec{"stage", "Стадия (код)", "Stage (code)", TypeString, "", ""},
		colSpec{"stage_name", "Стадия", "Stage", TypeString, "Текущее название стадии.", "The stage's current name."},
		colSpec{"entries", "Заходов", "Entries", TypeInteger, "Переходы сделок в стадию за период.", "Moves of deals into the stage in the period."})
	for _, o := range movementOutcomes {
		specs = append(specs, colSpec{o[0], o[1], o[2], TypeInteger, o[3], o[4]})
	}
	return kindColumns(lang, append(specs,
		colSpec{"median_hours", "Медиана часов в стадии", "Median hours in stage", TypeNumber, hoursDefRU, hoursDefEN},
		colSpec{"p90_hours", "90-й процентиль часов", "90th percentile hours", TypeNumber, hoursDefRU, hoursDefEN})...)
}

const (
	hoursDefRU = "Длительность захода: до следующего перехода; незавершённый заход в открытой стадии — до текущего момента, в выигранной не учитывается."
	hoursDefEN = "A stay lasts until the next move; an unfinished stay in an open stage counts up to now, one in a won stage is left out."
)

// movementOutcomes: key, labels and definitions of the outcome columns.
var movementOutcomes = [][5]string{
	{"advanced", "Перешли дальше", "Advanced", "Следующий переход — на следующий шаг.", "The next move went to the next step."},
	{"skipped_ahead", "Перескочили", "Skipped ahead", "Следующий переход — дальше следующего шага.", "The next move went past the next step."},
	{"went_back", "Вернулись", "Went back", "Следующий переход — на более ранний шаг.", "The next move went to an earlier step."},
	{"lost", "Проиграны", "Lost", "Следующий переход — в проигранную стадию.", "The next move went to a lost stage."},
	{"paused", "На паузе", "Paused", "Следующий переход — в стадию паузы.", "The next move went to a paused stage."},
	{"still_there", "Остаются", "Still there", "Переходов из стадии после захода ещё не было.", "No move out of the stage since."},
}
