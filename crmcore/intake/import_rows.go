package intake

import (
	"strings"
	"time"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

// importItem is one row turned into the input of its kind, validated.
type importItem struct {
	line    int
	lead    crmcore.NewLead
	contact crmcore.NewContact
	company crmcore.NewCompany
	probe   crmcore.DupProbe
	err     *apperr.Error
	empty   bool
}

// optStr is nil for a blank value.
func optStr(s string) *string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	t := strings.TrimSpace(s)
	return &t
}

// buildItem maps a record to the input of kind with responsible resp
// (already resolved) and validates it as the API would.
func buildItem(kind string, rec ImportRecord, resp int64, source string, p domain.Principal, now time.Time) importItem {
	f := func(k string) string { return strings.TrimSpace(rec.Fields[k]) }
	it := importItem{line: rec.Line}
	if rec.Err != "" {
		it.err = apperr.Field("file", "unreadable_row", rec.Err)
		return it
	}
	nonEmpty := false
	for _, v := range rec.Fields {
		nonEmpty = nonEmpty || strings.TrimSpace(v) != ""
	}
	if !nonEmpty {
		it.empty = true
		return it
	}
	var err error
	switch kind {
	case ImportLeads:
		it.lead = crmcore.NewLead{Title: f("title"), Source: firstNonEmpty(f("source"), source), ResponsibleID: resp,
			Contact: crmcore.LeadContact{Name: f("name"), Phone: f("phone"), Email: f("email")}, Company: crmcore.LeadCompany{Name: f("company")}}
		if it.lead.Title == "" {
			it.lead.Title = "Импорт: " + firstNonEmpty(it.lead.Contact.Name, it.lead.Company.Name, it.lead.Contact.Phone, it.lead.Contact.Email)
		}
		it.probe = crmcore.LeadProbe(it.lead)
		err = it.lead.Validate(p, now)
	case ImportContacts:
		first, last, middle := f("first_name"), f("last_name"), f("middle_name")
		if first == "" && last == "" {
			first, last, middle = splitFullName(f("name"))
		}
		it.contact = crmcore.NewContact{FirstName: first, LastName: last, MiddleName: middle, Phone: optStr(f("phone")),
			Email: optStr(f("email")), Position: optStr(f("position")), ResponsibleID: &resp}
		it.probe = crmcore.ContactProbe(it.contact)
		err = it.contact.Validate()
	default:
		it.company = crmcore.NewCompany{Name: f("name"), INN: optStr(f("inn")), Phone: optStr(f("phone")),
			Email: optStr(f("email")), Address: optStr(f("address")), ResponsibleID: &resp}
		it.probe = crmcore.CompanyProbe(it.company)
		err = it.company.Validate()
	}
	it.err = importFieldErr(kind, err)
	return it
}

// importFieldErr renames API field names to import field names
// (contact.phone → phone, first_name from a full name → name).
func importFieldErr(kind string, err error) *apperr.Error {
	e := apperr.As(err)
	if e == nil {
		return nil
	}
	out := *e
	switch {
	case kind == ImportLeads && strings.HasPrefix(out.Field, "contact."):
		out.Field = strings.TrimPrefix(out.Field, "contact.")
	case kind == ImportLeads && out.Field == "company.name":
		out.Field = "company"
	}
	return &out
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
