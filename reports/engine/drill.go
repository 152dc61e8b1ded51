package engine

import (
	"context"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports/kinds"
)

// Drill lists the records behind one cell of req's definition's answer
// for p: the definition is planned as Run plans it (the engine's clock,
// the same plan), the cell (the answer's row keys to its values; left
// out: all of it) and the column narrow its rows, and the list runs in a
// run slot under p's access. Drills are not cached: each is one person's
// question. Errors are 422s naming definition.<path>, cell.<key>,
// column, sort[i].by or limit.
func (e *Engine) Drill(ctx context.Context, p domain.Principal, req kinds.DrillRequest) (*kinds.DrillResult, error) {
	plan, err := kinds.PlanDrill(req, p, e.now())
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
	e.reachAfter(ctx, afterLSN(ctx)) // the asker's own last write listed too
	release, err := e.slot(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	return run(ctx, e.CH)
}
