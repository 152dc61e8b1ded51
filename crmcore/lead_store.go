package crmcore

import (
	"context"
	"time"

	sq "github.com/Masterminds/squirrel"
	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/pgerr"
)

// leadColumns are the columns scanLead reads, over leadQuery's joins.
const leadColumns = `l.id,
       l.title,
       l.source,
       s.code,
       s.name,
       s.kind,
       l.responsible_id,
       u.name,
       l.contact_id,
       l.contact_name,
       COALESCE(l.contact_phone, ''),
       COALESCE(l.contact_email, ''),
       l.company_id,
       l.company_name,
       l.disqualify_reason,
       l.deal_id,
       l.created_at,
       l.updated_at,
       l.converted_at`

// leadFrom joins each lead to the labels of its status and responsible.
const leadFrom = `leads l
JOIN stages s ON s.id = l.stage_id
JOIN users u ON u.id = l.responsible_id`

func leadQuery() sq.SelectBuilder { return psql.Select(leadColumns).From(leadFrom) }

func scanLead(row pgx.Row) (Lead, error) {
	var l Lead
	err := row.Scan(&l.ID, &l.Title, &l.Source, &l.Status, &l.StatusName, &l.StatusKind,
		&l.ResponsibleID, &l.ResponsibleName, &l.Contact.ID, &l.Contact.Name, &l.Contact.Phone,
		&l.Contact.Email, &l.Company.ID, &l.Company.Name, &l.DisqualifyReason, &l.DealID,
		&l.CreatedAt, &l.UpdatedAt, &l.ConvertedAt)
	return l, err
}

// GetLead returns one lead; 404 when it does not exist or p may not read it.
func (s *Store) GetLead(ctx context.Context, p domain.Principal, id int64) (Lead, error) {
	return s.getLead(ctx, s.db, p, id)
}

func (s *Store) getLead(ctx context.Context, q Querier, p domain.Principal, id int64) (Lead, error) {
	query, args, err := leadQuery().
		Where(sq.Eq{"l.id": id}).
		Where(LeadVisible(p, "l.responsible_id")).
		ToSql()
	if err != nil {
		return Lead{}, err
	}
	l, err := scanLead(q.QueryRow(ctx, query, args...))
	return l, pgerr.Translate(err, "lead")
}

// CreateLead records a new lead in the first status of the leads pipeline
// and its entry into that status, in one transaction. A manager creates
// leads only for themselves; analysts create none.
func (s *Store) CreateLead(ctx context.Context, p domain.Principal, in NewLead) (Lead, error) {
	if err := vetNewLead(p, &in, s.Now()); err != nil {
		return Lead{}, err
	}
	pl, err := s.Pipeline(ctx, LeadPipeline, "status")
	if err != nil {
		return Lead{}, err
	}
	var l Lead
	err = inTx(ctx, s.db, func(tx pgx.Tx) error {
		id, err := s.InsertLead(ctx, tx, p, pl.First(), in)
		if err != nil {
			return err
		}
		l, err = s.getLead(ctx, tx, domain.System, id)
		return err
	})
	return l, err
}

// vetNewLead is what CreateLead checks before it writes: the role, the
// fields (the responsible defaulting to p) and who may be responsible.
func vetNewLead(p domain.Principal, in *NewLead, now time.Time) error {
	if p.ReadOnly() {
		return ErrReadOnlyRole
	}
	if in.ResponsibleID == 0 {
		in.ResponsibleID = p.UserID
	}
	if err := in.Validate(p, now); err != nil {
		return err
	}
	if p.Role == domain.RoleManager && in.ResponsibleID != p.UserID {
		return &apperr.Error{Kind: apperr.Forbidden, Code: "forbidden", Field: "responsible_id",
			Message: "a manager creates leads only for themselves"}
	}
	return nil
}

// InsertLead writes a lead in status first (the first stage of the
// leads pipeline) and its entry into it, inside the caller's
// transaction, and returns its id. It checks the references (source,
// responsible, linked contact and company) and nothing else: the caller
// has validated in and decided that p may create it.
func (s *Store) InsertLead(ctx context.Context, tx pgx.Tx, p domain.Principal, first Stage, in NewLead) (int64, error) {
	if err := leadRefs(ctx, tx, in); err != nil {
		return 0, err
	}
	at := s.changeTime(in.At)
	const q = `
INSERT INTO leads (title, source, stage_id, responsible_id, contact_id, contact_name, contact_phone,
                   contact_email, company_id, company_name, created_by, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
RETURNING id`
	var id int64
	err := tx.QueryRow(ctx, q, in.Title, in.Source, first.ID, in.ResponsibleID, in.Contact.ID,
		in.Contact.Name, LeadNullText(in.Contact.Phone), LeadNullText(in.Contact.Email),
		in.Company.ID, in.Company.Name, Actor(p), at).Scan(&id)
	if err != nil {
		return 0, pgerr.Translate(err, "lead")
	}
	return id, insertLeadChange(ctx, tx, id, nil, first.ID, at, p, nil)
}

// insertLeadChange appends one row to a lead's status history.
func insertLeadChange(ctx context.Context, tx pgx.Tx, leadID int64, from *int64, to int64, at time.Time, p domain.Principal, reason *string) error {
	const q = `
INSERT INTO lead_status_changes (lead_id, from_stage_id, to_stage_id, changed_at, changed_by, reason)
VALUES ($1, $2, $3, $4, $5, $6)`
	_, err := tx.Exec(ctx, q, leadID, from, to, at, Actor(p), reason)
	return pgerr.Translate(err, "lead status change")
}

// leadRefs checks a new lead's references on q: its source, responsible,
// and the contact and company it links.
func leadRefs(ctx context.Context, q Querier, in NewLead) error {
	refs := dealRefs{ctx: ctx, q: q}
	refs.source("source", &in.Source)
	refs.user("responsible_id", in.ResponsibleID)
	refs.contact("contact.id", in.Contact.ID)
	refs.company("company.id", in.Company.ID)
	return refs.err
}
