package crmcore

import (
	"strings"

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
	var v check
	v.oneOf("kind", o.Kind, ImportLeads, ImportContacts, ImportCompanies)
	v.oneOf("format", o.Format, "csv", "vcard")
	v.oneOf("on_duplicate", o.OnDuplicate, OnDuplicateSkip, OnDuplicateUpdate, OnDuplicateCreate)
	v.text("source", o.Source, true, 32)
	v.id("responsible_id", o.ResponsibleID, true)
	if v.Err == nil && p.ReadOnly() {
		return ErrReadOnlyRole
	}
	if v.Err == nil && p.Role == domain.RoleManager && o.ResponsibleID != p.UserID && o.Kind == ImportLeads {
		return apperr.Field("responsible_id", "forbidden", "a manager imports leads only for themselves")
	}
	return v.Err
}

// Row outcomes of an import report.
const (
	RowCreate = "create"
	RowUpdate = "update"
	RowSkip   = "skip"
	RowError  = "error"
)

// ImportRow is what happened (or, in a dry run, would happen) to one row.
type ImportRow struct {
	Line   int    `json:"line"`
	Action string `json:"action"`
	ID     int64  `json:"id,omitempty"`
	Field  string `json:"field,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// ImportReport is the outcome of an import. Applied is false for a dry
// run and for a file with any error row: nothing is written then.
type ImportReport struct {
	RunID   int64       `json:"run_id"`
	Kind    string      `json:"kind"`
	DryRun  bool        `json:"dry_run"`
	Applied bool        `json:"applied"`
	Total   int         `json:"total"`
	Created int         `json:"created"`
	Updated int         `json:"updated"`
	Skipped int         `json:"skipped"`
	Failed  int         `json:"failed"`
	Rows    []ImportRow `json:"rows"`
}

func (r *ImportReport) add(row ImportRow) {
	r.Rows = append(r.Rows, row)
	switch row.Action {
	case RowCreate:
		r.Created++
	case RowUpdate:
		r.Updated++
	case RowSkip:
		r.Skipped++
	case RowError:
		r.Failed++
	}
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
