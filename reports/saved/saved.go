package saved

import (
	"strings"
	"time"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/kinds"
)

// Report is a report definition saved in PostgreSQL. Its owner and
// admins see and change it; when Shared, every user sees (and runs) it,
// with their own access rules.
type Report struct {
	ID         int64              `json:"id"`
	Name       string             `json:"name"`
	Definition reports.Definition `json:"definition"`
	OwnerID    int64              `json:"owner_id"`
	Shared     bool               `json:"shared"`
	CreatedAt  time.Time          `json:"created_at"`
	UpdatedAt  time.Time          `json:"updated_at"`
}

// NewReport is the body of POST /reports.
type NewReport struct {
	Name       string             `json:"name"`
	Definition reports.Definition `json:"definition"`
	Shared     bool               `json:"shared,omitempty"`
}

// Patch is the body of PATCH /reports/{id}: absent fields stay.
type Patch struct {
	Name       *string             `json:"name,omitempty"`
	Definition *reports.Definition `json:"definition,omitempty"`
	Shared     *bool               `json:"shared,omitempty"`
}

// MayBuild reports whether p may save reports: analysts,
// directors and admins.
func MayBuild(p domain.Principal) bool {
	return p.Role == domain.RoleAnalyst || p.Role == domain.RoleDirector || p.Role == domain.RoleAdmin
}

// checkDefinition validates a definition to save; errors name the field
// under "definition." (definition.dimensions[0].field).
func checkDefinition(d *reports.Definition, now time.Time) error {
	err := kinds.Validate(d, now)
	if e := apperr.As(err); e != nil && e.Kind == apperr.Invalid {
		c := *e
		c.Field = strings.TrimSuffix("definition."+e.Field, ".")
		return &c
	}
	return err
}
