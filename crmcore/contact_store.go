package crmcore

import (
	"context"
	"strings"
	"time"

	sq "github.com/Masterminds/squirrel"
	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/pgerr"
)

const contactCols = `id, first_name, last_name, middle_name, phone, email, position, company_id, responsible_id, created_at, updated_at`

func ScanContact(r pgx.Row) (Contact, error) {
	var c Contact
	err := r.Scan(&c.ID, &c.FirstName, &c.LastName, &c.MiddleName, &c.Phone, &c.Email, &c.Position,
		&c.CompanyID, &c.ResponsibleID, &c.CreatedAt, &c.UpdatedAt)
	return c, err
}

// CreateContact adds a contact to the directory.
func (s *Store) CreateContact(ctx context.Context, p domain.Principal, in NewContact) (Contact, error) {
	if err := s.vetDirectory(ctx, p, in.Validate, in.ResponsibleID); err != nil {
		return Contact{}, err
	}
	if err := s.companyExists(ctx, nullID(in.CompanyID)); err != nil {
		return Contact{}, err
	}
	c, err := writeRow(ctx, s.db, ScanContact, insertContactSQL, in.insertArgs(p, s.Now())...)
	return c, pgerr.Translate(err, "contact")
}

// insertContactSQL adds one contact (arguments: insertArgs).
const insertContactSQL = `
INSERT INTO contacts (first_name, last_name, middle_name, phone, email, position,
                      company_id, responsible_id, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
RETURNING ` + contactCols

func (in NewContact) insertArgs(p domain.Principal, now time.Time) []any {
	return []any{strings.TrimSpace(in.FirstName), strings.TrimSpace(in.LastName),
		strings.TrimSpace(in.MiddleName), NullText(in.Phone), NullText(in.Email), NullText(in.Position),
		nullID(in.CompanyID), defaultResponsible(in.ResponsibleID, p), now}
}

// ContactInsert is the statement CreateContact runs and its arguments,
// for writers that queue many contacts in one batch (intake's import):
// in has passed Validate and its company, if any, exists. The statement
// returns the new contact, which ScanContact reads.
func ContactInsert(p domain.Principal, in NewContact, now time.Time) (string, []any) {
	return insertContactSQL, in.insertArgs(p, now)
}

// GetContact returns one contact; every signed-in user reads the directory.
func (s *Store) GetContact(ctx context.Context, p domain.Principal, id int64) (Contact, error) {
	const q = `SELECT ` + contactCols + ` FROM contacts WHERE id = $1`
	c, err := ScanContact(s.db.QueryRow(ctx, q, id))
	return c, pgerr.Translate(err, "contact")
}

// UpdateContact changes the fields the patch sets.
func (s *Store) UpdateContact(ctx context.Context, p domain.Principal, id int64, in ContactPatch) (Contact, error) {
	if err := mayWriteDirectory(p); err != nil {
		return Contact{}, err
	}
	if err := in.Validate(); err != nil {
		return Contact{}, err
	}
	if err := s.companyExists(ctx, nullID(in.CompanyID)); err != nil {
		return Contact{}, err
	}
	set := map[string]any{}
	if in.FirstName != nil {
		set["first_name"] = strings.TrimSpace(*in.FirstName)
	}
	for col, v := range map[string]*string{"last_name": in.LastName, "middle_name": in.MiddleName} {
		if v != nil {
			set[col] = strings.TrimSpace(*v)
		}
	}
	for col, v := range map[string]*string{"phone": in.Phone, "email": in.Email, "position": in.Position} {
		if v != nil {
			set[col] = NullText(v)
		}
	}
	for col, v := range map[string]*int64{"company_id": in.CompanyID, "responsible_id": in.ResponsibleID} {
		if v != nil {
			set[col] = nullID(v)
		}
	}
	return updateRow(ctx, s, "contacts", "contact", id, set, contactCols, ScanContact)
}

// ListContacts returns a page of contacts ordered by last and first
// name, and the number matching the filter.
func (s *Store) ListContacts(ctx context.Context, p domain.Principal, f ContactFilter) ([]Contact, int, error) {
	if err := checkSearch(f.Q); err != nil {
		return nil, 0, err
	}
	where := sq.And{}
	if f.Q != "" {
		where = append(where, sq.Expr(`(concat_ws(' ', last_name, first_name, middle_name) ILIKE ?
  OR email ILIKE ? OR phone ILIKE ?)`, likePattern(f.Q), likePattern(f.Q), likePattern(f.Q)))
	}
	if f.CompanyID != 0 {
		where = append(where, sq.Eq{"company_id": f.CompanyID})
	}
	items, total, err := listRows(ctx, s.db, "contacts", where, "last_name, first_name, id", f.Limit, f.Offset, contactCols, ScanContact)
	return items, total, pgerr.Translate(err, "contacts")
}

// companyExists answers 422 on company_id when the company is missing.
func (s *Store) companyExists(ctx context.Context, id *int64) error {
	if id == nil {
		return nil
	}
	var ok bool
	if err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM companies WHERE id = $1)`, *id).Scan(&ok); err != nil {
		return err
	}
	if !ok {
		return apperr.Field("company_id", "unknown_company", "no such company")
	}
	return nil
}
