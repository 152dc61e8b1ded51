package intake

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/pgerr"
)

const formCols = `key, name, mapping, responsible_id, source, active, created_at`

func scanForm(r pgx.Row) (crmcore.FormKey, error) {
	var k crmcore.FormKey
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
func CreateFormKey(ctx context.Context, s *crmcore.Store, p domain.Principal, in crmcore.NewFormKey) (crmcore.FormKey, error) {
	if p.Role != domain.RoleAdmin {
		return crmcore.FormKey{}, errAdminOnly
	}
	if err := validateForm(&in); err != nil {
		return crmcore.FormKey{}, err
	}
	refs := crmcore.NewRefs(ctx, s.DB())
	refs.User("responsible_id", in.ResponsibleID)
	refs.Source("source", &in.Source)
	if refs.Err() != nil {
		return crmcore.FormKey{}, refs.Err()
	}
	mapping, _ := json.Marshal(in.Mapping)
	const q = `
INSERT INTO form_keys (key, name, mapping, responsible_id, source, created_by, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
RETURNING ` + formCols
	var k crmcore.FormKey
	err := crmcore.Write(ctx, func() (err error) {
		k, err = scanForm(s.DB().QueryRow(ctx, q, newFormKey(), strings.TrimSpace(in.Name), mapping,
			in.ResponsibleID, in.Source, crmcore.Actor(p), s.Now()))
		return err
	})
	return k, pgerr.Translate(err, "form")
}

// ListFormKeys (admins) lists every web form, newest first.
func ListFormKeys(ctx context.Context, s *crmcore.Store, p domain.Principal) ([]crmcore.FormKey, error) {
	if p.Role != domain.RoleAdmin {
		return nil, errAdminOnly
	}
	rows, err := s.DB().Query(ctx, `SELECT `+formCols+` FROM form_keys ORDER BY created_at DESC, key`)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (crmcore.FormKey, error) { return scanForm(r) })
	if out == nil {
		out = []crmcore.FormKey{}
	}
	return out, err
}

// DisableFormKey (admins) stops a form: its key then answers 404.
func DisableFormKey(ctx context.Context, s *crmcore.Store, p domain.Principal, key string) error {
	if p.Role != domain.RoleAdmin {
		return errAdminOnly
	}
	var tag pgconn.CommandTag
	err := crmcore.Write(ctx, func() (err error) {
		tag, err = s.DB().Exec(ctx, `UPDATE form_keys SET active = false WHERE key = $1`, key)
		return err
	})
	if err == nil && tag.RowsAffected() == 0 {
		return apperr.NotFoundf("form not found")
	}
	return pgerr.Translate(err, "form")
}

// SubmitForm creates a lead from a public form submission. An unknown or
// disabled key is 404; a filled honeypot is accepted and dropped; a
// submission without a phone, e-mail or name is 422 naming the form
// field. Possible duplicates are created all the same (a visitor cannot
// confirm anything) and show up in the duplicates report.
func SubmitForm(ctx context.Context, s *crmcore.Store, key string, values map[string]string) (FormSubmission, error) {
	k, err := scanForm(s.DB().QueryRow(ctx, `SELECT `+formCols+` FROM form_keys WHERE key = $1 AND active`, key))
	if err != nil {
		return FormSubmission{}, pgerr.Translate(err, "form")
	}
	if strings.TrimSpace(values[HoneypotField]) != "" {
		return FormSubmission{Bot: true}, nil
	}
	in := formLead(k, values)
	if in.Contact.Phone == "" && in.Contact.Email == "" && in.Contact.Name == "" {
		field := firstNonEmpty(formField(k, "contact.phone"), formField(k, "contact.email"), formField(k, "contact.name"))
		return FormSubmission{}, apperr.Field(field, "required", "leave a phone number or an e-mail address")
	}
	l, err := s.CreateLead(ctx, domain.System, in)
	if e := apperr.As(err); e != nil && e.Field != "" {
		e.Field = firstNonEmpty(formField(k, e.Field), e.Field)
	}
	return FormSubmission{LeadID: l.ID}, err
}
