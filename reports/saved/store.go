package saved

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/pgerr"
)

// Store keeps saved reports in PostgreSQL and lists them beside the
// standard catalog (Entries): the library of reports a user may pick by
// id. Now is its clock (time.Now when nil).
type Store struct {
	PG  *pgxpool.Pool
	Now func() time.Time
}

func (st *Store) now() time.Time {
	if st.Now != nil {
		return st.Now()
	}
	return time.Now()
}

const savedCols = `id, name, definition, owner_id, shared, created_at, updated_at`

func scanSaved(r pgx.Row) (Report, error) {
	var s Report
	var def []byte
	if err := r.Scan(&s.ID, &s.Name, &def, &s.OwnerID, &s.Shared, &s.CreatedAt, &s.UpdatedAt); err != nil {
		return s, err
	}
	return s, json.Unmarshal(def, &s.Definition)
}

// savedErr translates driver errors: no rows is a 404.
func savedErr(err error) error { return pgerr.Translate(err, "report") }

// Create saves a valid definition owned by p (analysts,
// directors and admins only).
func (st *Store) Create(ctx context.Context, p domain.Principal, in NewReport) (Report, error) {
	if !MayBuild(p) {
		return Report{}, apperr.New(apperr.Forbidden, "forbidden", "only analysts, directors and admins save reports")
	}
	if err := domain.CheckName("report", in.Name); err != nil {
		return Report{}, err
	}
	if err := checkDefinition(&in.Definition, st.now()); err != nil {
		return Report{}, err
	}
	def, err := json.Marshal(in.Definition)
	if err != nil {
		return Report{}, err
	}
	const q = `INSERT INTO saved_reports (name, definition, owner_id, shared, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $5)
RETURNING ` + savedCols
	s, err := scanSaved(st.PG.QueryRow(ctx, q, in.Name, def, p.UserID, in.Shared, st.now()))
	return s, savedErr(err)
}

// List lists the saved reports p sees: own and shared ones (all
// for an admin), by name.
func (st *Store) List(ctx context.Context, p domain.Principal) ([]Report, error) {
	const q = `SELECT ` + savedCols + `
FROM saved_reports
WHERE owner_id = $1 OR shared OR $2
ORDER BY name, id`
	rows, err := st.PG.Query(ctx, q, p.UserID, p.Role == domain.RoleAdmin)
	if err != nil {
		return nil, savedErr(err)
	}
	defer rows.Close()
	out := []Report{}
	for rows.Next() {
		s, err := scanSaved(rows)
		if err != nil {
			return nil, savedErr(err)
		}
		out = append(out, s)
	}
	return out, savedErr(rows.Err())
}

// Get is one saved report p sees; 404 otherwise.
func (st *Store) Get(ctx context.Context, p domain.Principal, id int64) (Report, error) {
	const q = `SELECT ` + savedCols + `
FROM saved_reports
WHERE id = $1 AND (owner_id = $2 OR shared OR $3)`
	s, err := scanSaved(st.PG.QueryRow(ctx, q, id, p.UserID, p.Role == domain.RoleAdmin))
	return s, savedErr(err)
}
