package kinds

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
)

// Kind is a report kind: funnels, stage percentages, manager activity and
// the grouped report all plug into the same definition and run path.
// Plan validates def (typically def.Params and def.Period) without the
// database, returning field-named *apperr.Error values, and resolves it
// for principal p at the instant now into a Plan: planned once, with the
// clock of the run.
type Kind interface {
	Plan(def *reports.Definition, p domain.Principal, now time.Time) (Plan, error)
}

// Plan is a report ready to run. Run executes it on the ClickHouse copy,
// ANDing the principal's access condition (Access) into every query it
// sends, and renders the answer as a tabular Result.
type Plan interface {
	Run(ctx context.Context, db *olap.DB) (*reports.Result, error)
}

var kinds = struct {
	sync.RWMutex
	m map[string]Kind
}{m: map[string]Kind{}}

// RegisterKind makes a report kind available under name (the definition's
// "kind"). It is meant for init functions; registering a name twice
// panics.
func RegisterKind(name string, k Kind) {
	kinds.Lock()
	defer kinds.Unlock()
	if _, dup := kinds.m[name]; dup {
		panic("reports: kind " + name + " registered twice")
	}
	kinds.m[name] = k
}

// lookupKind returns the kind registered under name.
func lookupKind(name string) (Kind, bool) {
	kinds.RLock()
	defer kinds.RUnlock()
	k, ok := kinds.m[name]
	return k, ok
}

// KindNames lists the registered kinds, sorted (for error details).
func KindNames() []string {
	kinds.RLock()
	defer kinds.RUnlock()
	names := make([]string, 0, len(kinds.m))
	for n := range kinds.m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// PlanReport finds the kind def names ("grouped" when empty) and plans def
// with it for p at now: the one place a definition is validated and
// resolved.
func PlanReport(def *reports.Definition, p domain.Principal, now time.Time) (Plan, error) {
	name := def.Kind
	if name == "" {
		name = reports.KindGrouped
	}
	k, ok := lookupKind(name)
	if !ok {
		return nil, &apperr.Error{Kind: apperr.Invalid, Code: "unknown_kind", Field: "kind",
			Message: "unknown report kind " + name, Details: map[string]any{"allowed": KindNames()}}
	}
	if err := checkCompare(def, name, k); err != nil {
		return nil, err
	}
	return k.Plan(def, p, now)
}

// checkCompare refuses a comparison the engine cannot draw (it runs the
// plan for both periods and sets the rows side by side): an unknown one,
// or one on a kind other than a grouped report without a pivot or a
// comparedKind, or without a period.
func checkCompare(def *reports.Definition, kind string, k Kind) error {
	if def.Compare == "" {
		return nil
	}
	if err := reports.CheckCompare(def.Compare, "compare"); err != nil {
		return err
	}
	_, rows := k.(comparedKind)
	switch {
	case kind == reports.KindActivityHeatmap:
		return apperr.Field("compare", "not_supported", "the activity heatmap shows one period by weekday and hour: it is not compared with the period before")
	case kind != reports.KindGrouped && !rows:
		return apperr.Field("compare", "not_supported", "a comparison is drawn for a grouped report, manager activity and activities vs outcomes; a funnel takes compare in its request")
	case def.Pivot != nil:
		return apperr.Field("compare", "not_supported", "a pivot cannot hold a comparison: leave out the pivot or the compare")
	case def.Period == nil:
		return apperr.Field("compare", "needs_period", "a comparison needs a period to compare with the one before")
	}
	return nil
}

// comparedKind is a kind, other than the grouped report, whose answers a
// comparison sets side by side, run once per period: compareKeys is how
// many leading columns say who or what a row is (the rows are matched by
// them, every later numeric column is compared); compareNow names the
// columns counted at the moment of the run rather than over the period,
// the same in both runs, so left out of the comparison.
type comparedKind interface {
	compareKeys() int
	compareNow() []string
}

// CompareShape is how a comparison of def matches its rows: the number
// of key columns (a grouped report: its dimensions) and the columns left
// out of the comparison.
func CompareShape(def *reports.Definition) (keys int, now []string) {
	if k, ok := lookupKind(def.Kind); ok {
		if c, ok := k.(comparedKind); ok {
			return c.compareKeys(), c.compareNow()
		}
	}
	return len(def.Dimensions), nil
}

// Validate checks def with the kind it names, at now: field-named 422
// errors, nothing run.
func Validate(def *reports.Definition, now time.Time) error {
	_, err := PlanReport(def, domain.Principal{Role: domain.RoleAnalyst}, now)
	return err
}
