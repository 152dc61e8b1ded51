package reports

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/internal/apperr"
)

// SavedReport is a report definition saved in PostgreSQL. Its owner and
// admins see and change it; when Shared, every user sees (and runs) it,
// with their own access rules.
type SavedReport struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Definition Definition `json:"definition"`
	OwnerID    int64      `json:"owner_id"`
	Shared     bool       `json:"shared"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
}

// NewSavedReport is the body of POST /reports.
type NewSavedReport struct {
	Name       string     `json:"name"`
	Definition Definition `json:"definition"`
	Shared     bool       `json:"shared,omitempty"`
}

// SavedReportPatch is the body of PATCH /reports/{id}: absent fields stay.
type SavedReportPatch struct {
	Name       *string     `json:"name,omitempty"`
	Definition *Definition `json:"definition,omitempty"`
	Shared     *bool       `json:"shared,omitempty"`
}

// MayBuildReports reports whether p may save reports: analysts,
// directors and admins.
func MayBuildReports(p crmcore.Principal) bool {
	return p.Role == crmcore.RoleAnalyst || p.Role == crmcore.RoleDirector || p.Role == crmcore.RoleAdmin
}

// checkName validates a report name.
func checkName(name string) error {
	switch {
	case !utf8.ValidString(name):
		return apperr.Field("name", "invalid_encoding", "text is not valid UTF-8")
	case strings.TrimSpace(name) == "":
		return apperr.Field("name", "required", "name the report")
	case utf8.RuneCountInString(name) > crmcore.MaxTitle:
		return apperr.Field("name", "too_long", "at most 255 characters")
	}
	return nil
}

// checkDefinition validates a definition to save; errors name the field
// under "definition." (definition.dimensions[0].field).
func checkDefinition(d *Definition) error {
	err := d.Validate()
	if e := apperr.As(err); e != nil && e.Kind == apperr.Invalid {
		c := *e
		c.Field = strings.TrimSuffix("definition."+e.Field, ".")
		return &c
	}
	return err
}
