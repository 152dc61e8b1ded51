package crmcore

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/pgerr"
)

// ConvertLead turns a lead into a deal in one transaction: the deal opens
// in the first stage of in.Pipeline (sales by default) with the lead's
// title, responsible, source, company and contact and a link back
// (lead_id); the lead gets status converted, deal_id and converted_at,
// and a status history row. A lead converts once (409 already_converted)
// and only from a status the graph lets reach converted (409).
func (s *Store) ConvertLead(ctx context.Context, p domain.Principal, id int64, in LeadConvert) (Deal, error) {
	var d Deal
	err := inTx(ctx, s.db, func(tx pgx.Tx) error {
		st, err := lockLeadForWrite(ctx, tx, p, id)
		if err != nil {
			return err
		}
		nd := convertedDeal(id, st, in)
		if err := nd.validate(p, s.Now()); err != nil {
			return err
		}
		from, to, err := s.convertStages(ctx, tx, st)
		if err != nil {
			return err
		}
		if err := atAfterLast(in.At, st.lastChange); err != nil {
			return err
		}
		dealID, err := s.insertDeal(ctx, tx, p, nd)
		if err != nil {
			return err
		}
		if err := markLeadConverted(ctx, tx, p, id, from.ID, to.ID, dealID, s.changeTime(in.At)); err != nil {
			return err
		}
		d, err = s.getDeal(ctx, tx, domain.System, dealID)
		return err
	})
	return d, err
}

// convertedDeal is the deal a lead becomes.
func convertedDeal(id int64, st leadState, in LeadConvert) NewDeal {
	nd := NewDeal{Title: st.title, Pipeline: in.Pipeline, Currency: in.Currency,
		ResponsibleID: st.responsible, CompanyID: st.companyID, ContactID: st.contactID,
		Source: &st.source, At: in.At, leadID: &id}
	if nd.Pipeline == "" {
		nd.Pipeline = "sales"
	}
	if in.Amount != nil {
		nd.Amount = *in.Amount
	}
	return nd
}

// convertStages checks that the lead is not converted yet and that its
// status may become converted.
func (s *Store) convertStages(ctx context.Context, tx pgx.Tx, st leadState) (Stage, Stage, error) {
	if st.dealID != nil {
		return Stage{}, Stage{}, &apperr.Error{Kind: apperr.Conflict, Code: "already_converted",
			Message: "the lead is already converted", Details: map[string]any{"deal_id": *st.dealID}}
	}
	pl, err := s.pipelineByCode(ctx, tx, LeadPipeline, "status")
	if err != nil {
		return Stage{}, Stage{}, err
	}
	from, okFrom := pl.StageByID(st.stageID)
	to, okTo := pl.Stage("converted")
	if !okFrom || !okTo {
		return Stage{}, Stage{}, apperr.New(apperr.Unavailable, "pipeline_changed", "the pipeline changed; retry in a few seconds")
	}
	if !pl.Allows(from.Code, to.Code) {
		return Stage{}, Stage{}, transitionError(pl, from, to, "status")
	}
	return from, to, nil
}

// markLeadConverted links the lead to its deal and records the status change.
func markLeadConverted(ctx context.Context, tx pgx.Tx, p domain.Principal, id, from, to, dealID int64, at time.Time) error {
	const q = `
UPDATE leads
SET stage_id          = $2,
    deal_id           = $3,
    converted_at      = $4,
    updated_at        = $4,
    disqualify_reason = NULL
WHERE id = $1`
	if _, err := tx.Exec(ctx, q, id, to, dealID, at); err != nil {
		return pgerr.Translate(err, "lead")
	}
	return insertLeadChange(ctx, tx, id, &from, to, at, p, nil)
}
