package crmcore

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/pgerr"
)

// dealState is where a locked deal stands before a move.
type dealState struct {
	pipelineID int64
	stageID    int64
	lastChange *time.Time
}

func loadDealState(ctx context.Context, tx pgx.Tx, id int64) (dealState, error) {
	const q = `
SELECT d.pipeline_id,
       d.stage_id,
       (SELECT max(c.changed_at) FROM stage_changes c WHERE c.deal_id = d.id)
FROM deals d
WHERE d.id = $1`
	var st dealState
	err := tx.QueryRow(ctx, q, id).Scan(&st.pipelineID, &st.stageID, &st.lastChange)
	return st, pgerr.Translate(err, "deal")
}

// MoveDeal moves a deal to another stage of its pipeline when the graph
// allows it (else 409 transition_not_allowed and nothing changes). The
// stage update and its history row are written in one transaction, under
// a row lock; closed_at follows the target stage's kind, lost_reason is
// the reason when the target is lost. in.At (admins) backdates the change
// but never before the deal's last change.
func (s *Store) MoveDeal(ctx context.Context, p domain.Principal, id int64, in DealMove) (Deal, error) {
	var d Deal
	err := inTx(ctx, s.db, func(tx pgx.Tx) error {
		if err := s.lockDealForWrite(ctx, tx, p, id); err != nil {
			return err
		}
		var v check
		v.text("stage", in.Stage, true, 32)
		v.optText("reason", in.Reason, MaxText)
		v.at("at", in.At, p, s.Now())
		if v.Err != nil {
			return v.Err
		}
		cur, err := loadDealState(ctx, tx, id)
		if err != nil {
			return err
		}
		to, err := s.dealMoveStages(ctx, tx, cur, in.Stage)
		if err != nil {
			return err
		}
		if err := atAfterLast(in.At, cur.lastChange); err != nil {
			return err
		}
		at := s.changeTime(in.At)
		if err := applyDealMove(ctx, tx, p, id, cur, to, at, in.Reason); err != nil {
			return err
		}
		d, err = s.getDeal(ctx, tx, p, id)
		return err
	})
	return d, err
}

// dealMoveStages resolves the target stage and checks the graph allows
// the move from the current one.
func (s *Store) dealMoveStages(ctx context.Context, tx pgx.Tx, cur dealState, code string) (Stage, error) {
	pl, err := s.pipelineByID(ctx, tx, cur.pipelineID)
	if err != nil {
		return Stage{}, err
	}
	from, ok := pl.StageByID(cur.stageID)
	if !ok {
		return Stage{}, apperr.New(apperr.Unavailable, "pipeline_changed", "the pipeline changed; retry in a few seconds")
	}
	to, ok := pl.Stage(code)
	if !ok {
		return Stage{}, apperr.Field("stage", "unknown_stage",
			"pipeline "+quote(pl.Code)+" has no stage "+quote(code))
	}
	if from.ID == to.ID || !pl.Allows(from.Code, to.Code) {
		return Stage{}, transitionError(pl, from, to, "stage")
	}
	return to, nil
}

// applyDealMove writes the new stage and its history row.
func applyDealMove(ctx context.Context, tx pgx.Tx, p domain.Principal, id int64, cur dealState, to Stage, at time.Time, reason *string) error {
	var closed *time.Time
	if closesDeal(to.Kind) {
		closed = &at
	}
	var lost *string
	if to.Kind == domain.KindLost {
		lost = reason
	}
	const q = `
UPDATE deals
SET stage_id    = $2,
    updated_at  = $3,
    closed_at   = $4,
    lost_reason = $5
WHERE id = $1`
	if _, err := tx.Exec(ctx, q, id, to.ID, at, closed, lost); err != nil {
		return pgerr.Translate(err, "deal")
	}
	from := cur.stageID
	return insertStageChange(ctx, tx, id, cur.pipelineID, &from, to.ID, at, p, reason)
}
