package crmcore

import (
	"time"

	"github.com/voronka/voronka/domain"
)

// Contact is a person at a client (see company.go for who may read and
// write the directory). Names other than the first are empty rather than
// null; other optional fields are null when unset.
type Contact struct {
	ID            int64     `json:"id"`
	FirstName     string    `json:"first_name"`
	LastName      string    `json:"last_name"`
	MiddleName    string    `json:"middle_name"`
	Phone         *string   `json:"phone"`
	Email         *string   `json:"email"`
	Position      *string   `json:"position"`
	CompanyID     *int64    `json:"company_id"`
	ResponsibleID *int64    `json:"responsible_id"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// NewContact is the input of CreateContact. ResponsibleID defaults to
// the caller; CompanyID must name an existing company.
type NewContact struct {
	FirstName     string  `json:"first_name"`
	LastName      string  `json:"last_name,omitempty"`
	MiddleName    string  `json:"middle_name,omitempty"`
	Phone         *string `json:"phone,omitempty"`
	Email         *string `json:"email,omitempty"`
	Position      *string `json:"position,omitempty"`
	CompanyID     *int64  `json:"company_id,omitempty"`
	ResponsibleID *int64  `json:"responsible_id,omitempty"`
}

// ContactPatch is the input of UpdateContact: nil leaves a field as it
// is, an empty string clears an optional text, an id of 0 clears a
// reference.
type ContactPatch struct {
	FirstName     *string `json:"first_name,omitempty"`
	LastName      *string `json:"last_name,omitempty"`
	MiddleName    *string `json:"middle_name,omitempty"`
	Phone         *string `json:"phone,omitempty"`
	Email         *string `json:"email,omitempty"`
	Position      *string `json:"position,omitempty"`
	CompanyID     *int64  `json:"company_id,omitempty"`
	ResponsibleID *int64  `json:"responsible_id,omitempty"`
}

// ContactFilter selects contacts: Q matches any part of the full name,
// the e-mail or the phone; CompanyID (when not 0) the company.
type ContactFilter struct {
	Q         string
	CompanyID int64
	Limit     int
	Offset    int
}

// Validate checks a new contact.
func (in NewContact) Validate() error {
	return ContactPatch{FirstName: &in.FirstName, LastName: &in.LastName, MiddleName: &in.MiddleName,
		Phone: in.Phone, Email: in.Email, Position: in.Position,
		CompanyID: in.CompanyID, ResponsibleID: in.ResponsibleID}.Validate()
}

// Validate checks the fields a patch sets.
func (in ContactPatch) Validate() error {
	var v check
	if in.FirstName != nil {
		v.text("first_name", *in.FirstName, true, domain.MaxTitle)
	}
	v.optText("last_name", in.LastName, domain.MaxTitle)
	v.optText("middle_name", in.MiddleName, domain.MaxTitle)
	v.optText("phone", in.Phone, maxPhone)
	v.optText("email", in.Email, maxEmail)
	v.email("email", in.Email)
	v.optText("position", in.Position, domain.MaxTitle)
	v.dirRefID("company_id", in.CompanyID)
	v.dirRefID("responsible_id", in.ResponsibleID)
	return v.Err
}
