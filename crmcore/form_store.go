package crmcore

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/pgerr"
)

const formCols = `key, name, mapping, responsible_id, source, active, created_at`

func scanForm(r pgx.Row) (FormKey, error) {
	var k FormKey
	err := r.Scan(&k.Key, &k.Name, &k.Mapping, &k.ResponsibleID, &k.Source, &k.Active, &k.CreatedAt)
	return k, err
}

var errAdminOnly = apperr.New(apperr.Forbidden, "forbidden", "only an admin manages web forms")

// newFormKey is 32 random lower-case base32 characters.
func newFormKey() string {
	b := make([]byte, 20)
	rand.Read(b)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// CreateFormKey (admins) creates a web form and its secret key.
func (s *Store) CreateFormKey(ctx context.Context, p domain.Principal, in NewFormKey) (FormKey, error) {
	if p.Role != domain.RoleAdmin {
		return FormKey{}, errAdminOnly
	}
	if err := in.validate(); err != nil {
		return FormKey{}, err
	}
	refs := dealRefs{ctx: ctx, q: s.db}
	refs.user("responsible_id", in.ResponsibleID)
	refs.source("source", &in.Source)
	if refs.err != nil {
		return FormKey{}, refs.err
	}
	mapping, _ := json.Marshal(in.Mapping)
	const q = `
INSERT INTO form_keys (key, name, mapping, responsible_id, source, created_by, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
RETURNING ` + formCols
	k, err := scanForm(s.db.QueryRow(ctx, q, newFormKey(), strings.TrimSpace(in.Name), mapping,
		in.ResponsibleID, in.Source, Actor(p), s.Now()))
	return k, pgerr.Translate(err, "form")
}

// ListFormKeys (admins) lists every web form, newest first.
func (s *Store) ListFormKeys(ctx context.Context, p domain.Principal) ([]FormKey, error) {
	if p.Role != domain.RoleAdmin {
		return nil, errAdminOnly
	}
	rows, err := s.db.Query(ctx, `SELECT `+formCols+` FROM form_keys ORDER BY created_at DESC, key`)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (FormKey, error) { return scanForm(r) })
	if out == nil {
		out = []FormKey{}
	}
	return out, err
}

// DisableFormKey (admins) stops a form: its key then answers 404.
func (s *Store) DisableFormKey(ctx context.Context, p domain.Principal, key string) error {
	if p.Role != domain.RoleAdmin {
		return errAdminOnly
	}
	tag, err := s.db.Exec(ctx, `UPDATE form_keys SET active = false WHERE key = $1`, key)
	if err == nil && tag.RowsAffected() == 0 {
		return apperr.NotFoundf("form not found")
	}
	return err
}

// SubmitForm creates a lead from a public form submission. An unknown or
// disabled key is 404; a filled honeypot is accepted and dropped; a
// submission without a phone, e-mail or name is 422 naming the form
// field. Possible duplicates are created all the same (a visitor cannot
// confirm anything) and show up in the duplicates report.
func (s *Store) SubmitForm(ctx context.Context, key string, values map[string]string) (FormSubmission, error) {
	k, err := scanForm(s.db.QueryRow(ctx, `SELECT `+formCols+` FROM form_keys WHERE key = $1 AND active`, key))
	if err != nil {
		return FormSubmission{}, pgerr.Translate(err, "form")
	}
	if strings.TrimSpace(values[HoneypotField]) != "" {
		return FormSubmission{Bot: true}, nil
	}
	in := k.formLead(values)
	if in.Contact.Phone == "" && in.Contact.Email == "" && in.Contact.Name == "" {
		field := firstNonEmpty(k.formField("contact.phone"), k.formField("contact.email"), k.formField("contact.name"))
		return FormSubmission{}, apperr.Field(field, "required", "leave a phone number or an e-mail address")
	}
	l, err := s.CreateLead(ctx, domain.System, in)
	if e := apperr.As(err); e != nil && e.Field != "" {
		e.Field = firstNonEmpty(k.formField(e.Field), e.Field)
	}
	return FormSubmission{LeadID: l.ID}, err
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
