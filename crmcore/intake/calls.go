package intake

import (
	"time"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

// Call log formats: what a telephony server writes.
const (
	CallsAsterisk = "asterisk" // Asterisk's Master.csv: CDR rows, no header
	CallsPlain    = "plain"    // a CSV with a header: time, from, to, duration, direction, extension
)

// ImportCallsKind is the import kind of call logs in import_runs and reports.
const ImportCallsKind = "calls"

// DefaultMinDigits is the shortest number taken for the outside world:
// internal numbers of a PBX are 3–4 digits (IS-PRO's practice), so a
// call whose other side has 1–4 digits is internal and not logged.
const DefaultMinDigits = 5

// DefaultCallZone is the PBX's time zone when none is given: Asterisk
// writes local times without a zone.
const DefaultCallZone = "Europe/Moscow"

// CallOptions steer one call-log import. Zero values take the defaults:
// format asterisk, encoding auto, zone Moscow, DefaultMinDigits.
type CallOptions struct {
	Format    string `json:"format"`
	Encoding  string `json:"encoding"`
	Separator string `json:"separator,omitempty"`
	Zone      string `json:"zone"`
	MinDigits int    `json:"min_digits"`
	DryRun    bool   `json:"dry_run"`
	FileName  string `json:"file_name,omitempty"`
	// Progress, when set, is called as rows are matched, with rows done.
	Progress func(done, total int) `json:"-"`

	loc *time.Location
}

// CallResult is what a call-log import did: how the file was read, the
// per-row report (the lead import's shape: create, duplicate,
// skipped_internal or error per row; skipped counts the duplicates and
// the internal calls) and those two counts apart.
type CallResult struct {
	File       CallFile             `json:"file"`
	Report     crmcore.ImportReport `json:"report"`
	Duplicates int                  `json:"duplicates"`
	Internal   int                  `json:"internal"`
}

// CallFile is how a call log was read.
type CallFile struct {
	Format    string `json:"format"`
	Encoding  string `json:"encoding"`
	Zone      string `json:"zone"`
	MinDigits int    `json:"min_digits"`
}

// Validate checks the options, fills the defaults and refuses roles that
// may not import calls: admins and directors only.
func (o *CallOptions) Validate(p domain.Principal) error {
	if !p.CanWriteAll() {
		return apperr.New(apperr.Forbidden, "forbidden", "only admins and directors import call logs")
	}
	if o.Format == "" {
		o.Format = CallsAsterisk
	}
	if o.Zone == "" {
		o.Zone = DefaultCallZone
	}
	if o.MinDigits == 0 {
		o.MinDigits = DefaultMinDigits
	}
	var v crmcore.Check
	v.OneOf("format", o.Format, CallsAsterisk, CallsPlain)
	if o.MinDigits < 1 || o.MinDigits > 15 {
		v.Fail("min_digits", "out_of_range", "must be 1 to 15")
	}
	if _, err := normEncoding(o.Encoding); err != nil {
		return err
	}
	loc, err := time.LoadLocation(o.Zone)
	if err != nil || o.Zone == "Local" {
		v.Fail("zone", "invalid_value", "not a time zone: give an IANA name such as Europe/Moscow")
	}
	o.loc = loc
	return v.Err
}
