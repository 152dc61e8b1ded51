package crmcore

import (
	"context"
	"strings"
	"time"

	sq "github.com/Masterminds/squirrel"
	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/pgerr"
)

const companyCols = `id, name, inn, phone, email, address, responsible_id, created_at, updated_at`

func ScanCompany(r pgx.Row) (Company, error) {
	var c Company
	err := r.Scan(&c.ID, &c.Name, &c.INN, &c.Phone, &c.Email, &c.Address, &c.ResponsibleID, &c.CreatedAt, &c.UpdatedAt)
	return c, err
}

// CreateCompany adds a company to the directory.
func (s *Store) CreateCompany(ctx context.Context, p domain.Principal, in NewCompany) (Company, error) {
	if err := s.vetDirectory(ctx, p, in.Validate, in.ResponsibleID); err != nil {
		return Company{}, err
	}
	c, err := writeRow(ctx, s.db, ScanCompany, insertCompanySQL, in.insertArgs(p, s.Now())...)
	return c, pgerr.Translate(err, "company")
}

// insertCompanySQL adds one company (arguments: insertArgs).
const insertCompanySQL = `
INSERT INTO companies (name, inn, phone, email, address, responsible_id, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
RETURNING ` + companyCols

func (in NewCompany) insertArgs(p domain.Principal, now time.Time) []any {
	return []any{strings.TrimSpace(in.Name), NullText(in.INN), NullText(in.Phone),
		NullText(in.Email), NullText(in.Address), defaultResponsible(in.ResponsibleID, p), now}
}

// CompanyInsert is the statement CreateCompany runs and its arguments,
// for writers that queue many companies in one batch (intake's import):
// in has passed Validate. The statement returns the new company, which
// ScanCompany reads.
func CompanyInsert(p domain.Principal, in NewCompany, now time.Time) (string, []any) {
	return insertCompanySQL, in.insertArgs(p, now)
}

// GetCompany returns one company; every signed-in user reads the directory.
func (s *Store) GetCompany(ctx context.Context, p domain.Principal, id int64) (Company, error) {
	const q = `SELECT ` + companyCols + ` FROM companies WHERE id = $1`
	c, err := ScanCompany(s.db.QueryRow(ctx, q, id))
	return c, pgerr.Translate(err, "company")
}

// UpdateCompany changes the fields the patch sets.
func (s *Store) UpdateCompany(ctx context.Context, p domain.Principal, id int64, in CompanyPatch) (Company, error) {
	if err := mayWriteDirectory(p); err != nil {
		return Company{}, err
	}
	if err := in.Validate(); err != nil {
		return Company{}, err
	}
	set := map[string]any{}
	if in.Name != nil {
		set["name"] = strings.TrimSpace(*in.Name)
	}
	for col, v := range map[string]*string{"inn": in.INN, "phone": in.Phone, "email": in.Email, "address": in.Address} {
		if v != nil {
			set[col] = NullText(v)
		}
	}
	if in.ResponsibleID != nil {
		set["responsible_id"] = nullID(in.ResponsibleID)
	}
	return updateRow(ctx, s, "companies", "company", id, set, companyCols, ScanCompany)
}

// ListCompanies returns a page of companies ordered by name, and the
// number of companies matching the filter.
func (s *Store) ListCompanies(ctx context.Context, p domain.Principal, f CompanyFilter) ([]Company, int, error) {
	if err := checkSearch(f.Q); err != nil {
		return nil, 0, err
	}
	where := sq.And{}
	if f.Q != "" {
		where = append(where, sq.Expr("name ILIKE ?", likePattern(f.Q)))
	}
	items, total, err := listRows(ctx, s.db, "companies", where, "name, id", f.Limit, f.Offset, companyCols, ScanCompany)
	return items, total, pgerr.Translate(err, "companies")
}

// updateRow runs UPDATE table SET <set>, updated_at = now WHERE id and
// scans the row back; with nothing to set it only reads the row. Table
// and column names come from code.
func updateRow[T any](ctx context.Context, s *Store, table, what string, id int64, set map[string]any,
	cols string, scan func(pgx.Row) (T, error)) (T, error) {
	var zero T
	if len(set) == 0 {
		v, err := scan(s.db.QueryRow(ctx, "SELECT "+cols+" FROM "+table+" WHERE id = $1", id))
		return v, pgerr.Translate(err, what)
	}
	set["updated_at"] = s.Now()
	query, args, err := psql.Update(table).SetMap(set).Where(sq.Eq{"id": id}).Suffix("RETURNING " + cols).ToSql()
	if err != nil {
		return zero, err
	}
	v, err := writeRow(ctx, s.db, scan, query, args...)
	return v, pgerr.Translate(err, what)
}

// listRows selects a page of from (a table or join, from code) under
// where, ordered by order, and counts every matching row.
func listRows[T any](ctx context.Context, db Querier, from string, where sq.Sqlizer, order string,
	limit, offset int, cols string, scan func(pgx.Row) (T, error)) ([]T, int, error) {
	return listRowsCounted(ctx, db, from, from, where, order, limit, offset, cols, scan)
}

// ListRows is listRows for the core's subpackages: a page of from (a
// table or join, from code) under where, ordered by order (from code),
// and the number of rows matching where.
func ListRows[T any](ctx context.Context, db Querier, from string, where sq.Sqlizer, order string,
	limit, offset int, cols string, scan func(pgx.Row) (T, error)) ([]T, int, error) {
	return listRows(ctx, db, from, where, order, limit, offset, cols, scan)
}

// listRowsCounted is listRows counting over countFrom: the base table
// alone when the page's joins only add labels (a count needs no labels).
func listRowsCounted[T any](ctx context.Context, db Querier, countFrom, from string, where sq.Sqlizer, order string,
	limit, offset int, cols string, scan func(pgx.Row) (T, error)) ([]T, int, error) {
	limit, offset = ListWindow(limit, offset)
	var total int
	query, args, err := psql.Select("count(*)").From(countFrom).Where(where).ToSql()
	if err != nil {
		return nil, 0, err
	}
	if err := db.QueryRow(ctx, query, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	query, args, err = psql.Select(cols).From(from).Where(where).OrderBy(order).
		Limit(uint64(limit)).Offset(uint64(offset)).ToSql()
	if err != nil {
		return nil, 0, err
	}
	rows, err := db.Query(ctx, query, args...)
	if err != nil {
		return nil, 0, err
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (T, error) { return scan(r) })
	if items == nil {
		items = []T{}
	}
	return items, total, err
}

// ListWindow is the page a list method serves for the requested limit
// and offset: limit 0 means 50, at most 500; offset at least 0.
func ListWindow(limit, offset int) (int, int) {
	if limit <= 0 {
		limit = ListLimitDefault
	}
	return min(limit, ListLimitMax), max(offset, 0)
}

// checkSearch checks a list's search text q as every text is checked
// (domain.CheckText, at most a title long): 422 on q otherwise.
func checkSearch(q string) error { return domain.CheckTextField("q", q, false, domain.MaxTitle) }

// likePattern turns a search text into an ILIKE substring pattern.
func likePattern(q string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.TrimSpace(q)) + "%"
}
