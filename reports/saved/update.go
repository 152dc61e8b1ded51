package saved

import (
	"context"
	"encoding/json"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

// mayChange loads a saved report p sees and checks p may change it: its
// owner or an admin (403 otherwise; 404 when p does not see it).
func (st *Store) mayChange(ctx context.Context, p domain.Principal, id int64) (Report, error) {
	s, err := st.Get(ctx, p, id)
	if err != nil {
		return s, err
	}
	if s.OwnerID != p.UserID && p.Role != domain.RoleAdmin {
		return s, apperr.New(apperr.Forbidden, "not_owner", "only the report's owner or an admin may change it")
	}
	return s, nil
}

// Update changes the fields the patch gives; an invalid
// definition is refused.
func (st *Store) Update(ctx context.Context, p domain.Principal, id int64, in Patch) (Report, error) {
	s, err := st.mayChange(ctx, p, id)
	if err != nil {
		return s, err
	}
	if in.Name != nil {
		if err := domain.CheckName("report", *in.Name); err != nil {
			return s, err
		}
		s.Name = *in.Name
	}
	if in.Definition != nil {
		if err := checkDefinition(in.Definition, st.now()); err != nil {
			return s, err
		}
		s.Definition = *in.Definition
	}
	if in.Shared != nil {
		s.Shared = *in.Shared
	}
	def, err := json.Marshal(s.Definition)
	if err != nil {
		return s, err
	}
	const q = `UPDATE saved_reports SET name = $2, definition = $3, shared = $4, updated_at = $5
WHERE id = $1
RETURNING ` + savedCols
	s, err = scanSaved(st.PG.QueryRow(ctx, q, id, s.Name, def, s.Shared, st.now()))
	return s, savedErr(err)
}

// Delete removes a saved report (its owner or an admin).
func (st *Store) Delete(ctx context.Context, p domain.Principal, id int64) error {
	if _, err := st.mayChange(ctx, p, id); err != nil {
		return err
	}
	_, err := st.PG.Exec(ctx, `DELETE FROM saved_reports WHERE id = $1`, id)
	return savedErr(err)
}
