package engine

import (
	"context"
	"encoding/json"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/compile"
	"github.com/voronka/voronka/reports/kinds"
)

// Drill lists the records behind one cell of def's answer for p: def is
// planned as Run plans it (the engine's clock, the same plan), the cell
// (dimension column keys to the answer's values; left out: all of it)
// narrows its rows, and the list runs in a run slot under p's access.
// Drills are not cached: each is one person's question. Errors are 422s
// naming definition.<path>, cell.<key>, sort[i].by or limit.
func (e *Engine) Drill(ctx context.Context, p domain.Principal, def *reports.Definition, cell map[string]json.RawMessage,
	opts compile.DrillOptions) (*kinds.DrillResult, error) {
	plan, err := kinds.PlanDrill(kinds.DrillRequest{Definition: def, Cell: cell, DrillOptions: opts}, p, e.now())
	if err != nil {
		return nil, err
	}
	return e.drillInSlot(ctx, plan.Run)
}

// FunnelDrill lists the deals behind one number of a funnel for p (the
// step's reached or lost deals, or those in the stage at as_of), from
// the funnel's own deal set, in a run slot under p's access.
func (e *Engine) FunnelDrill(ctx context.Context, p domain.Principal, req kinds.FunnelDrillRequest) (*kinds.DrillResult, error) {
	plan, err := kinds.PlanFunnelDrill(req, p, e.now())
	if err != nil {
		return nil, err
	}
	return e.drillInSlot(ctx, plan.Run)
}

// drillInSlot runs a planned drill on the engine's copy in a run slot.
func (e *Engine) drillInSlot(ctx context.Context, run func(context.Context, *olap.DB) (*kinds.DrillResult, error)) (*kinds.DrillResult, error) {
	release, err := e.slot(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	return run(ctx, e.CH)
}
