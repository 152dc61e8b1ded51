package reports

import (
	"context"
	"sort"
	"sync"

	"github.com/voronka/voronka/domain"
)

// KindGrouped is the default report kind: a dataset grouped by
// dimensions with measures (compile.go, run.go, pivot.go).
const KindGrouped = "grouped"

// Kind is a report kind: funnels, stage percentages, manager activity and
// the grouped report all plug into the same definition and run path.
// Validate checks the kind-specific parts of def (typically def.Params,
// and def.Period) and returns field-named *apperr.Error values; Run
// executes def for principal p, ANDing p's access condition (Access) into
// every query it sends, and renders the answer as a tabular Result.
// Run is only called on a definition Validate accepted.
type Kind interface {
	Validate(def *Definition) error
	Run(ctx context.Context, e *Engine, p domain.Principal, def *Definition) (*Result, error)
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
