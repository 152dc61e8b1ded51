package reports

import (
	"strings"
	"time"

	"github.com/voronka/voronka/domain"
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
func MayBuildReports(p domain.Principal) bool {
	return p.Role == domain.RoleAnalyst || p.Role == domain.RoleDirector || p.Role == domain.RoleAdmin
}

// checkDefinition validates a definition to save; errors name the field
// under "definition." (definition.dimensions[0].field).
func checkDefinition(d *Definition, now time.Time) error {
	err := Validate(d, now)
	if e := apperr.As(err); e != nil && e.Kind == apperr.Invalid {
		c := *e
		c.Field = strings.TrimSuffix("definition."+e.Field, ".")
		return &c
	}
	return err
}
