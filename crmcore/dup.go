package crmcore

import (
	"fmt"
	"strings"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

// Duplicate reasons: which key of two records was equal.
const (
	DupPhone   = "phone"
	DupEmail   = "email"
	DupPerson  = "person"
	DupCompany = "company_name"
	DupINN     = "inn"
)

// DupReasons is the order reasons are checked and listed in: every
// reason once. Read it, never change it.
var DupReasons = []string{DupPhone, DupEmail, DupPerson, DupCompany, DupINN}

// Entities of duplicate control, merges and imports.
const (
	EntityLead    = "lead"
	EntityContact = "contact"
	EntityCompany = "company"
	EntityDeal    = "deal" // merges only
)

// DupProbe is what a new record offers for matching, as typed in: the
// keys are computed from it (see dupkey.go).
type DupProbe struct {
	Phone, Email, Person, Company, INN string

	// Linked records are not duplicates of the new one: a lead that links
	// an existing contact or company by id is expected to share its data.
	ContactID, CompanyID int64
}

// linked reports whether c is a record the probe links on purpose.
func (p DupProbe) linked(c DupCandidate) bool {
	return (c.Entity == EntityContact && c.ID == p.ContactID) || (c.Entity == EntityCompany && c.ID == p.CompanyID)
}

// Keys are the probe's non-empty keys by reason (DupReasons), computed
// by the rules of dupkey.go: two records with an equal key are
// duplicates.
func (p DupProbe) Keys() map[string]string {
	k := map[string]string{DupPhone: PhoneKey(p.Phone), DupEmail: EmailKey(p.Email),
		DupPerson: PersonKey(p.Person), DupCompany: CompanyKey(p.Company), DupINN: strings.TrimSpace(p.INN)}
	for r, v := range k {
		if v == "" {
			delete(k, r)
		}
	}
	return k
}

// LeadProbe is what a new lead offers for matching.
func LeadProbe(in NewLead) DupProbe {
	p := DupProbe{Phone: in.Contact.Phone, Email: in.Contact.Email, Person: in.Contact.Name, Company: in.Company.Name}
	if in.Contact.ID != nil {
		p.ContactID = *in.Contact.ID
	}
	if in.Company.ID != nil {
		p.CompanyID = *in.Company.ID
	}
	return p
}

// ContactProbe is what a new contact offers for matching.
func ContactProbe(in NewContact) DupProbe {
	return DupProbe{Phone: deref(in.Phone), Email: deref(in.Email), Person: in.LastName + " " + in.FirstName}
}

// CompanyProbe is what a new company offers for matching.
func CompanyProbe(in NewCompany) DupProbe {
	return DupProbe{Phone: deref(in.Phone), Email: deref(in.Email), Company: in.Name, INN: deref(in.INN)}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// DupCandidate is an existing record a new one may duplicate.
type DupCandidate struct {
	Entity  string   `json:"entity"`
	ID      int64    `json:"id"`
	Name    string   `json:"name"`
	Reasons []string `json:"reasons"`

	responsible *int64
}

// visibleTo: leads follow the lead access rule; the directory (contacts,
// companies) is read by everyone.
func (c DupCandidate) visibleTo(p domain.Principal) bool {
	if c.Entity != EntityLead || p.SeesAll() {
		return true
	}
	return c.responsible != nil && *c.responsible == p.UserID
}

// DupMatches are the candidates of one probe: those the caller may see,
// and how many others exist that they may not.
type DupMatches struct {
	Candidates []DupCandidate `json:"candidates"`
	Hidden     int            `json:"hidden"`
}

// Found reports whether any duplicate exists, seen or not.
func (m DupMatches) Found() bool { return len(m.Candidates)+m.Hidden > 0 }

// Reasons lists the distinct reasons of every visible candidate.
func (m DupMatches) Reasons() []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range m.Candidates {
		for _, r := range c.Reasons {
			if !seen[r] {
				seen[r] = true
				out = append(out, r)
			}
		}
	}
	return out
}

// Describe is one line for import reports: "lead #12 (phone, email)".
func (c DupCandidate) Describe() string {
	return fmt.Sprintf("%s #%d (%s)", c.Entity, c.ID, strings.Join(c.Reasons, ", "))
}

// duplicateError is the 409 of a create that matches: the candidates the
// caller may see, and only the count of those they may not.
func duplicateError(m DupMatches) error {
	msg := "a record with the same contact data or name exists; repeat with ?confirm_duplicate=true to create it anyway"
	return &apperr.Error{Kind: apperr.Conflict, Code: "possible_duplicate", Message: msg, Details: m}
}
