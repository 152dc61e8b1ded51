package crmcore

import (
	"strings"
	"time"

	"github.com/voronka/voronka/domain"
)

// LeadPipeline is the code of the pipeline whose stages are lead statuses.
const LeadPipeline = "leads"

// LeadContact is the person behind a lead as first typed in. ID, when
// set, links an existing contact record (carried over to the deal on
// conversion). Empty phone and e-mail are stored as absent.
type LeadContact struct {
	ID    *int64 `json:"id,omitempty"`
	Name  string `json:"name"`
	Phone string `json:"phone"`
	Email string `json:"email"`
}

// LeadCompany is the organisation behind a lead; ID links an existing
// company record.
type LeadCompany struct {
	ID   *int64 `json:"id,omitempty"`
	Name string `json:"name"`
}

// Lead is an unqualified request as read back. Status is a stage code of
// the pipeline "leads". Invariant: DealID and ConvertedAt are set exactly
// when the status is converted; DisqualifyReason only when disqualified.
type Lead struct {
	ID               int64       `json:"id"`
	Title            string      `json:"title"`
	Source           string      `json:"source"`
	Status           string      `json:"status"`
	StatusName       string      `json:"status_name"`
	StatusKind       string      `json:"status_kind"`
	ResponsibleID    int64       `json:"responsible_id"`
	ResponsibleName  string      `json:"responsible_name"`
	Contact          LeadContact `json:"contact"`
	Company          LeadCompany `json:"company"`
	DisqualifyReason *string     `json:"disqualify_reason"`
	DealID           *int64      `json:"deal_id"`
	CreatedAt        time.Time   `json:"created_at"`
	UpdatedAt        time.Time   `json:"updated_at"`
	ConvertedAt      *time.Time  `json:"converted_at"`
}

// NewLead is the input of CreateLead. ResponsibleID 0 means the caller;
// At (admins only) backdates the creation.
type NewLead struct {
	Title         string      `json:"title"`
	Source        string      `json:"source"`
	ResponsibleID int64       `json:"responsible_id"`
	Contact       LeadContact `json:"contact"`
	Company       LeadCompany `json:"company"`
	At            *time.Time  `json:"at,omitempty"`
}

// LeadPatch is the input of UpdateLead: nil fields stay as they are; a
// given contact or company replaces the old one whole.
type LeadPatch struct {
	Title   *string      `json:"title,omitempty"`
	Source  *string      `json:"source,omitempty"`
	Contact *LeadContact `json:"contact,omitempty"`
	Company *LeadCompany `json:"company,omitempty"`
}

// LeadStatusChange is the input of SetLeadStatus: a status code of the
// leads pipeline other than converted, a reason (required to
// disqualify) and an optional backfill time (admins only).
type LeadStatusChange struct {
	Status string     `json:"status"`
	Reason *string    `json:"reason,omitempty"`
	At     *time.Time `json:"at,omitempty"`
}

// LeadConvert is the input of ConvertLead; Pipeline "" means sales,
// Currency "" means RUB, Amount nil means 0.
type LeadConvert struct {
	Pipeline string        `json:"pipeline,omitempty"`
	Amount   *domain.Money `json:"amount,omitempty"`
	Currency string        `json:"currency,omitempty"`
	At       *time.Time    `json:"at,omitempty"`
}

// LeadFilter narrows ListLeads, like DealFilter; Status and Source are codes.
type LeadFilter struct {
	Status        string
	Source        string
	ResponsibleID int64
	Q             string
	Limit         int
	Offset        int
}

func (v *check) leadContact(c LeadContact) {
	v.text("contact.name", c.Name, false, domain.MaxTitle)
	v.text("contact.phone", c.Phone, false, 64)
	v.text("contact.email", c.Email, false, 254)
	v.email("contact.email", &c.Email)
	v.optRef("contact.id", c.ID)
}

func (v *check) leadCompany(c LeadCompany) {
	v.text("company.name", c.Name, false, domain.MaxTitle)
	v.optRef("company.id", c.ID)
}

// Validate checks a new lead's fields as CreateLead does (references
// are checked by the store, at write time); the first failure is a
// field error. ResponsibleID must already be resolved (not 0).
func (in NewLead) Validate(p domain.Principal, now time.Time) error {
	var v check
	v.text("title", in.Title, true, domain.MaxTitle)
	v.text("source", in.Source, true, 32)
	v.id("responsible_id", in.ResponsibleID, true)
	v.leadContact(in.Contact)
	v.leadCompany(in.Company)
	v.at("at", in.At, p, now)
	return v.Err
}

func (in LeadPatch) validate() error {
	var v check
	if in.Title != nil {
		v.text("title", *in.Title, true, domain.MaxTitle)
	}
	if in.Source != nil {
		v.text("source", *in.Source, true, 32)
	}
	if in.Contact != nil {
		v.leadContact(*in.Contact)
	}
	if in.Company != nil {
		v.leadCompany(*in.Company)
	}
	return v.Err
}

// LeadNullText stores an empty optional text as NULL, else the text as
// given: how a lead's contact phone and e-mail are written.
func LeadNullText(s string) *string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return &s
}
