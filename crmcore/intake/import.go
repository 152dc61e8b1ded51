package intake

import (
	"strings"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

// Import kinds: what one file creates.
const (
	ImportLeads     = "leads"
	ImportContacts  = "contacts"
	ImportCompanies = "companies"
)

// ImportFields lists, per kind, the fields a row may carry (the header
// mapping's targets). "responsible" is a user's e-mail or id.
var ImportFields = map[string][]string{
	ImportLeads:     {"title", "name", "phone", "email", "company", "source", "responsible"},
	ImportContacts:  {"name", "first_name", "last_name", "middle_name", "phone", "email", "position", "responsible"},
	ImportCompanies: {"name", "inn", "phone", "email", "address", "responsible"},
	ImportCallsKind: {"time", "from", "to", "duration", "direction", "extension"},
}

// ImportRecord is one row of a parsed file: its line (or card) number and
// its values by import field; Err, when set, says why the row could not
// be read (it is reported as an error row, and the import changes nothing).
type ImportRecord struct {
	Line   int
	Fields map[string]string
	Err    string
}

// Import duplicate policies: what a row matching an existing record does.
const (
	OnDuplicateSkip   = "skip"   // report it, change nothing (default)
	OnDuplicateUpdate = "update" // fill the matched record's fields from the row
	OnDuplicateCreate = "create" // create it all the same
)

// ImportOptions steer one import. ResponsibleID 0 means the caller;
// Source "" means import (leads only).
type ImportOptions struct {
	Kind          string `json:"kind"`
	Format        string `json:"format"`
	FileName      string `json:"file_name"`
	DryRun        bool   `json:"dry_run"`
	OnDuplicate   string `json:"on_duplicate"`
	ResponsibleID int64  `json:"responsible_id"`
	Source        string `json:"source"`
	// Progress, when set, is called after each chunk with rows done.
	Progress func(done, total int) `json:"-"`
}

// Validate checks the options and fills defaults.
func (o *ImportOptions) Validate(p domain.Principal) error {
	if o.OnDuplicate == "" {
		o.OnDuplicate = OnDuplicateSkip
	}
	if o.Source == "" {
		o.Source = "import"
	}
	if o.ResponsibleID == 0 {
		o.ResponsibleID = p.UserID
	}
	if o.Format == "" {
		o.Format = "csv"
	}
	var v crmcore.Check
	v.OneOf("kind", o.Kind, ImportLeads, ImportContacts, ImportCompanies)
	v.OneOf("format", o.Format, "csv", "vcard")
	v.OneOf("on_duplicate", o.OnDuplicate, OnDuplicateSkip, OnDuplicateUpdate, OnDuplicateCreate)
	v.Text("source", o.Source, true, 32)
	v.ID("responsible_id", o.ResponsibleID, true)
	if v.Err == nil && p.ReadOnly() {
		return crmcore.ErrReadOnlyRole
	}
	if v.Err == nil && p.Role == domain.RoleManager && o.ResponsibleID != p.UserID && o.Kind == ImportLeads {
		return apperr.Field("responsible_id", "forbidden", "a manager imports leads only for themselves")
	}
	return v.Err
}

// splitFullName splits "Фамилия Имя Отчество" (the usual Russian order
// in lists) into first, last and middle names; one word is a first name.
func splitFullName(full string) (first, last, middle string) {
	w := strings.Fields(full)
	switch len(w) {
	case 0:
		return "", "", ""
	case 1:
		return w[0], "", ""
	case 2:
		return w[1], w[0], ""
	}
	return w[1], w[0], strings.Join(w[2:], " ")
}
