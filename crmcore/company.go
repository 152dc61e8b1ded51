package crmcore

import (
	"regexp"
	"strings"
	"time"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

// Companies and contacts are shared directory data: every signed-in user
// reads all of them (a manager needs to find the client of a new deal even
// when a colleague created it), and admins, directors and managers write
// them. Analysts read only. Deals and leads carry the access rules; the
// directory does not, so it holds nothing a manager could not ask the
// client for anyway.

// Limits of the directory's free-text fields.
const (
	maxPhone   = 64
	maxEmail   = 254
	maxAddress = 1000
)

// Company is a client organisation. INN, when set, has 10 (legal entity)
// or 12 (individual entrepreneur) digits; optional text fields are null
// rather than empty.
type Company struct {
	ID            int64     `json:"id"`
	Name          string    `json:"name"`
	INN           *string   `json:"inn"`
	Phone         *string   `json:"phone"`
	Email         *string   `json:"email"`
	Address       *string   `json:"address"`
	ResponsibleID *int64    `json:"responsible_id"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// NewCompany is the input of CreateCompany. ResponsibleID defaults to the
// caller.
type NewCompany struct {
	Name          string  `json:"name"`
	INN           *string `json:"inn,omitempty"`
	Phone         *string `json:"phone,omitempty"`
	Email         *string `json:"email,omitempty"`
	Address       *string `json:"address,omitempty"`
	ResponsibleID *int64  `json:"responsible_id,omitempty"`
}

// CompanyPatch is the input of UpdateCompany: nil leaves a field as it
// is, an empty string clears an optional text, responsible_id 0 clears
// the responsible.
type CompanyPatch struct {
	Name          *string `json:"name,omitempty"`
	INN           *string `json:"inn,omitempty"`
	Phone         *string `json:"phone,omitempty"`
	Email         *string `json:"email,omitempty"`
	Address       *string `json:"address,omitempty"`
	ResponsibleID *int64  `json:"responsible_id,omitempty"`
}

// CompanyFilter selects companies: Q matches the name (case-insensitive
// substring); Limit defaults to 50 (at most 500).
type CompanyFilter struct {
	Q      string
	Limit  int
	Offset int
}

var innRe = regexp.MustCompile(`^([0-9]{10}|[0-9]{12})$`)

// Validate checks a new company.
func (in NewCompany) Validate() error {
	return CompanyPatch{Name: &in.Name, INN: in.INN, Phone: in.Phone, Email: in.Email,
		Address: in.Address, ResponsibleID: in.ResponsibleID}.Validate()
}

// Validate checks the fields a patch sets.
func (in CompanyPatch) Validate() error {
	var v check
	if in.Name != nil {
		v.text("name", *in.Name, true, domain.MaxTitle)
	}
	v.optText("inn", in.INN, 12)
	if in.INN != nil && *in.INN != "" && !innRe.MatchString(*in.INN) {
		v.fail("inn", "invalid_inn", "an INN has 10 or 12 digits")
	}
	v.optText("phone", in.Phone, maxPhone)
	v.optText("email", in.Email, maxEmail)
	v.email("email", in.Email)
	v.optText("address", in.Address, maxAddress)
	v.dirRefID("responsible_id", in.ResponsibleID)
	return v.Err
}

// dirRefID checks an optional directory reference: positive, or 0 to
// clear it.
func (v *check) dirRefID(field string, id *int64) {
	if id != nil {
		v.id(field, *id, false)
	}
}

// MayWriteDirectory is mayWriteDirectory for the core's subpackages
// (contracts are directory data like their companies).
func MayWriteDirectory(p domain.Principal) error { return mayWriteDirectory(p) }

// mayWriteDirectory: everyone but analysts writes companies and contacts.
func mayWriteDirectory(p domain.Principal) error {
	if p.ReadOnly() {
		return apperr.New(apperr.Forbidden, "read_only", "your role reads the directory but does not change it")
	}
	return nil
}

// NullText stores an absent or blank optional text as NULL, else the
// text trimmed: how every optional text column is written.
func NullText(s *string) *string {
	if s == nil || strings.TrimSpace(*s) == "" {
		return nil
	}
	t := strings.TrimSpace(*s)
	return &t
}

// nullID stores an absent or zero reference as NULL.
func nullID(id *int64) *int64 {
	if id == nil || *id == 0 {
		return nil
	}
	return id
}

// defaultResponsible is the given responsible, or the caller.
func defaultResponsible(id *int64, p domain.Principal) *int64 {
	if id == nil && p.UserID > 0 {
		return &p.UserID
	}
	return nullID(id)
}
