package crmcore

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/pgerr"
)

// SetLeadStatus moves a lead to another status of the leads pipeline
// when the graph allows it (else 409 and nothing changes), writing the
// status history row in the same transaction. Conversion goes through
// ConvertLead; disqualification needs a reason.
func (s *Store) SetLeadStatus(ctx context.Context, p domain.Principal, id int64, in LeadStatusChange) (Lead, error) {
	var l Lead
	err := inTx(ctx, s.db, func(tx pgx.Tx) error {
		st, err := lockLeadForWrite(ctx, tx, p, id)
		if err != nil {
			return err
		}
		var v check
		v.text("status", in.Status, true, 32)
		v.optText("reason", in.Reason, MaxText)
		v.at("at", in.At, p, s.Now())
		if v.Err != nil {
			return v.Err
		}
		to, err := s.leadTarget(ctx, tx, st, in)
		if err != nil {
			return err
		}
		if err := atAfterLast(in.At, st.lastChange); err != nil {
			return err
		}
		if err := applyLeadStatus(ctx, tx, p, id, st.stageID, to, s.changeTime(in.At), in.Reason); err != nil {
			return err
		}
		l, err = s.getLead(ctx, tx, p, id)
		return err
	})
	return l, err
}

// leadTarget resolves and checks the target status of SetLeadStatus.
func (s *Store) leadTarget(ctx context.Context, tx pgx.Tx, st leadState, in LeadStatusChange) (Stage, error) {
	pl, err := s.pipelineByCode(ctx, tx, LeadPipeline, "status")
	if err != nil {
		return Stage{}, err
	}
	to, ok := pl.Stage(in.Status)
	switch {
	case !ok:
		return Stage{}, apperr.Field("status", "unknown_status", "no lead status "+quote(in.Status))
	case to.Kind == domain.KindWon:
		return Stage{}, apperr.Field("status", "use_convert", "a lead becomes "+quote(to.Code)+" only through POST /leads/{id}/convert")
	case to.Kind == domain.KindLost && (in.Reason == nil || strings.TrimSpace(*in.Reason) == ""):
		return Stage{}, apperr.Field("reason", "required", "say why the lead is disqualified")
	}
	from, ok := pl.StageByID(st.stageID)
	if !ok {
		return Stage{}, apperr.New(apperr.Unavailable, "pipeline_changed", "the pipeline changed; retry in a few seconds")
	}
	if from.ID == to.ID || !pl.Allows(from.Code, to.Code) {
		return Stage{}, transitionError(pl, from, to, "status")
	}
	return to, nil
}

// applyLeadStatus writes the new status and its history row; the reason
// is kept as disqualify_reason when the status is lost.
func applyLeadStatus(ctx context.Context, tx pgx.Tx, p domain.Principal, id, from int64, to Stage, at time.Time, reason *string) error {
	var lost *string
	if to.Kind == domain.KindLost {
		lost = reason
	}
	const q = `
UPDATE leads
SET stage_id          = $2,
    updated_at        = $3,
    disqualify_reason = $4
WHERE id = $1`
	if _, err := tx.Exec(ctx, q, id, to.ID, at, lost); err != nil {
		return pgerr.Translate(err, "lead")
	}
	return insertLeadChange(ctx, tx, id, &from, to.ID, at, p, reason)
}
