package intake

import (
	"regexp"
	"strings"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
)

// HoneypotField is the form field a person never fills (hide it with
// CSS): a submission with text in it is answered like any other and
// dropped. A form mapping may not use this name.
const HoneypotField = "homepage"

// FormTargets are the lead fields a form field may fill.
var FormTargets = []string{"title", "contact.name", "contact.phone", "contact.email", "company.name"}

var formFieldRe = regexp.MustCompile(`^[A-Za-z0-9_.\-\[\]]{1,64}$`)

// validateForm checks a new form and fills its default source.
func validateForm(in *crmcore.NewFormKey) error {
	var v crmcore.Check
	v.Text("name", in.Name, true, domain.MaxTitle)
	v.ID("responsible_id", in.ResponsibleID, true)
	if in.Source == "" {
		in.Source = "web_form"
	}
	if len(in.Mapping) == 0 {
		v.Fail("mapping", "required", "map at least one form field to a lead field")
	}
	for field, target := range in.Mapping {
		if !formFieldRe.MatchString(field) || field == HoneypotField {
			v.Fail("mapping", "invalid_field", "form field %q: 1–64 letters, digits, _ . - [ ], not %q", field, HoneypotField)
		}
		v.OneOf("mapping."+field, target, FormTargets...)
	}
	return v.Err
}

// FormSubmission is what a form answers to: whether the lead was taken
// (a honeypot hit is "accepted" too, so a bot learns nothing).
type FormSubmission struct {
	LeadID int64
	Bot    bool
}

// formLead maps submitted values to a new lead; it returns the form
// field at fault with a validation error.
func formLead(k crmcore.FormKey, values map[string]string) crmcore.NewLead {
	in := crmcore.NewLead{Source: k.Source, ResponsibleID: k.ResponsibleID}
	for field, target := range k.Mapping {
		v := strings.TrimSpace(values[field])
		switch target {
		case "title":
			in.Title = v
		case "contact.name":
			in.Contact.Name = v
		case "contact.phone":
			in.Contact.Phone = v
		case "contact.email":
			in.Contact.Email = v
		case "company.name":
			in.Company.Name = v
		}
	}
	if in.Title == "" {
		in.Title = "Заявка с формы «" + k.Name + "»"
	}
	return in
}

// formField is the form field mapped to a lead field ("" when none).
func formField(k crmcore.FormKey, target string) string {
	for field, t := range k.Mapping {
		if t == target {
			return field
		}
	}
	return ""
}
