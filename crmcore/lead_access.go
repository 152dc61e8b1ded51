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

// leadState is what the status and convert operations need of one lead.
type leadState struct {
	responsible int64
	stageID     int64
	dealID      *int64
	title       string
	source      string
	contactID   *int64
	companyID   *int64
	lastChange  *time.Time
}

// loadLeadState returns 404 when the lead does not exist or p may not
// read it (a manager reads the leads they are responsible for).
// forUpdate locks the lead row for the rest of the transaction.
func loadLeadState(ctx context.Context, q Querier, p domain.Principal, id int64, forUpdate bool) (leadState, error) {
	query := `
SELECT l.responsible_id,
       l.stage_id,
       l.deal_id,
       l.title,
       l.source,
       l.contact_id,
       l.company_id,
       (SELECT max(c.changed_at) FROM lead_status_changes c WHERE c.lead_id = l.id)
FROM leads l
WHERE l.id = $1`
	if forUpdate {
		query += " FOR UPDATE OF l"
	}
	var st leadState
	err := q.QueryRow(ctx, query, id).Scan(&st.responsible, &st.stageID, &st.dealID, &st.title,
		&st.source, &st.contactID, &st.companyID, &st.lastChange)
	if err != nil {
		return st, pgerr.Translate(err, "lead")
	}
	if !p.SeesAll() && st.responsible != p.UserID {
		return st, apperr.NotFoundf("lead not found")
	}
	return st, nil
}

// lockLeadForWrite locks a lead p may change: 404 when p may not read
// it, 403 when p reads it only (analyst).
func lockLeadForWrite(ctx context.Context, tx pgx.Tx, p domain.Principal, id int64) (leadState, error) {
	st, err := loadLeadState(ctx, tx, p, id, true)
	if err != nil {
		return st, err
	}
	if p.CanWriteAll() || (p.Role == domain.RoleManager && st.responsible == p.UserID) {
		return st, nil
	}
	return st, apperr.New(apperr.Forbidden, "read_only", "you may read this lead but not change it")
}

// atAfterLast refuses a backfill time earlier than the record's last change.
func atAfterLast(at *time.Time, last *time.Time) error {
	if at != nil && last != nil && at.Before(*last) {
		return apperr.Field("at", "before_last_change",
			"must not be earlier than the last change ("+last.UTC().Format(time.RFC3339)+")")
	}
	return nil
}

// UpdateLead changes the title, source, contact or company of a lead p
// may write.
func (s *Store) UpdateLead(ctx context.Context, p domain.Principal, id int64, in LeadPatch) (Lead, error) {
	var l Lead
	err := inTx(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := lockLeadForWrite(ctx, tx, p, id); err != nil {
			return err
		}
		if err := in.validate(); err != nil {
			return err
		}
		refs := dealRefs{ctx: ctx, q: tx}
		u := leadPatchSQL(&refs, id, in, s.Now())
		if refs.err != nil {
			return refs.err
		}
		query, args, err := u.ToSql()
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, query, args...); err != nil {
			return pgerr.Translate(err, "lead")
		}
		l, err = s.getLead(ctx, tx, p, id)
		return err
	})
	return l, err
}

// leadPatchSQL builds the UPDATE of a patch (column names from code only)
// and checks its references into refs.
func leadPatchSQL(refs *dealRefs, id int64, in LeadPatch, now time.Time) sq.UpdateBuilder {
	u := psql.Update("leads").Set("updated_at", now).Where(sq.Eq{"id": id})
	if in.Title != nil {
		u = u.Set("title", *in.Title)
	}
	if in.Source != nil {
		refs.source("source", in.Source)
		u = u.Set("source", *in.Source)
	}
	if c := in.Contact; c != nil {
		refs.contact("contact.id", c.ID)
		u = u.Set("contact_id", c.ID).Set("contact_name", c.Name).
			Set("contact_phone", LeadNullText(c.Phone)).Set("contact_email", LeadNullText(c.Email))
	}
	if c := in.Company; c != nil {
		refs.company("company.id", c.ID)
		u = u.Set("company_id", c.ID).Set("company_name", c.Name)
	}
	return u
}
