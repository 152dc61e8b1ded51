package crmcore

import "time"

// The records lead intake (crmcore/intake) keeps and the API shows. The
// machinery that makes them lives in intake; the types stay here because
// the API's OpenAPI document names its schemas after the Go package
// (crmcore_ImportReport, …), and those names are part of the contract.

// Row outcomes of an import report.
const (
	RowCreate = "create"
	RowUpdate = "update"
	RowSkip   = "skip"
	RowError  = "error"
	// A call import's skips: a call imported before (or earlier in the
	// file), and an internal call. Both count as skipped.
	RowDuplicate = "duplicate"
	RowInternal  = "skipped_internal"
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
// Invariant: Created, Updated, Skipped and Failed count Rows by action
// (Skipped: skip, duplicate and skipped_internal);
// add rows with Add.
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

// Add appends a row and counts it by its action.
func (r *ImportReport) Add(row ImportRow) {
	r.Rows = append(r.Rows, row)
	switch row.Action {
	case RowCreate:
		r.Created++
	case RowUpdate:
		r.Updated++
	case RowSkip, RowDuplicate, RowInternal:
		r.Skipped++
	case RowError:
		r.Failed++
	}
}

// FormKey is a public web form: POST /forms/{key} creates a lead with
// the mapping (form field → lead field), responsible and source below.
type FormKey struct {
	Key           string            `json:"key"`
	Name          string            `json:"name"`
	Mapping       map[string]string `json:"mapping"`
	ResponsibleID int64             `json:"responsible_id"`
	Source        string            `json:"source"`
	Active        bool              `json:"active"`
	CreatedAt     time.Time         `json:"created_at"`
}

// NewFormKey is the input of intake.CreateFormKey. Mapping targets are
// the lead fields of intake.FormTargets; Source "" means web_form.
type NewFormKey struct {
	Name          string            `json:"name"`
	Mapping       map[string]string `json:"mapping"`
	ResponsibleID int64             `json:"responsible_id"`
	Source        string            `json:"source,omitempty"`
}
