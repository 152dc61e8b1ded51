package crmcore

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/pgerr"
)

// MergeRequest keeps one record and merges another of the same entity
// into it.
type MergeRequest struct {
	Entity  string `json:"entity"`
	KeepID  int64  `json:"keep_id"`
	MergeID int64  `json:"merge_id"`
}

// Merge is one entry of the merge history.
type Merge struct {
	ID       int64            `json:"id"`
	Entity   string           `json:"entity"`
	KeptID   int64            `json:"kept_id"`
	MergedID int64            `json:"merged_id"`
	Moved    map[string]int64 `json:"moved"`
	MergedAt time.Time        `json:"merged_at"`
}

// mergeMove re-points one reference column from the merged record to the
// kept one; label names it in the history ("activities", "deals", …).
type mergeMove struct{ label, table, col string }

// mergeSpec is how one entity merges: what moves, and which empty fields
// of the kept record take the merged record's values.
type mergeSpec struct {
	table string
	moves []mergeMove
	fill  string // UPDATE … SET col = coalesce(k.col, m.col) FROM table m WHERE k.id = $1 AND m.id = $2
}

var mergeSpecs = map[string]mergeSpec{
	EntityLead: {table: "leads", moves: []mergeMove{
		{"activities", "activities", "lead_id"}, {"deals", "deals", "lead_id"}, {"mail_messages", "mail_messages", "lead_id"}},
		fill: `UPDATE leads k SET
    contact_phone = coalesce(k.contact_phone, m.contact_phone),
    contact_email = coalesce(k.contact_email, m.contact_email),
    contact_name  = CASE WHEN k.contact_name = '' THEN m.contact_name ELSE k.contact_name END,
    company_name  = CASE WHEN k.company_name = '' THEN m.company_name ELSE k.company_name END,
    contact_id    = coalesce(k.contact_id, m.contact_id),
    company_id    = coalesce(k.company_id, m.company_id),
    updated_at    = $3
FROM leads m WHERE k.id = $1 AND m.id = $2`},
	EntityContact: {table: "contacts", moves: []mergeMove{
		{"deals", "deals", "contact_id"}, {"leads", "leads", "contact_id"}},
		fill: `UPDATE contacts k SET
    phone       = coalesce(k.phone, m.phone),
    email       = coalesce(k.email, m.email),
    position    = coalesce(k.position, m.position),
    company_id  = coalesce(k.company_id, m.company_id),
    middle_name = CASE WHEN k.middle_name = '' THEN m.middle_name ELSE k.middle_name END,
    updated_at  = $3
FROM contacts m WHERE k.id = $1 AND m.id = $2`},
	EntityCompany: {table: "companies", moves: []mergeMove{
		{"contacts", "contacts", "company_id"}, {"deals", "deals", "company_id"}, {"leads", "leads", "company_id"}},
		fill: `UPDATE companies k SET
    inn        = coalesce(k.inn, m.inn),
    phone      = coalesce(k.phone, m.phone),
    email      = coalesce(k.email, m.email),
    address    = coalesce(k.address, m.address),
    updated_at = $3
FROM companies m WHERE k.id = $1 AND m.id = $2`},
}

// MergeRecords merges in.MergeID into in.KeepID in one transaction: the
// merged record's activities, deals, contacts and leads point to the kept
// one, the kept record's empty fields take the merged one's values, the
// merged record is deleted and the merge is recorded with its old row.
// Directors and admins merge any two records; a manager merges records
// they are responsible for (both). A lead p may not read answers 404.
func (s *Store) MergeRecords(ctx context.Context, p domain.Principal, in MergeRequest) (Merge, error) {
	spec, err := in.validate()
	if err != nil {
		return Merge{}, err
	}
	m := Merge{Entity: in.Entity, KeptID: in.KeepID, MergedID: in.MergeID, Moved: map[string]int64{}}
	err = inTx(ctx, s.db, func(tx pgx.Tx) error {
		if err := lockMergePair(ctx, tx, p, spec.table, in); err != nil {
			return err
		}
		var row []byte
		if err := tx.QueryRow(ctx, `SELECT to_jsonb(t) FROM `+spec.table+` t WHERE id = $1`, in.MergeID).Scan(&row); err != nil {
			return pgerr.Translate(err, in.Entity)
		}
		for _, mv := range spec.moves {
			tag, err := tx.Exec(ctx, `UPDATE `+mv.table+` SET `+mv.col+` = $1 WHERE `+mv.col+` = $2`, in.KeepID, in.MergeID)
			if err != nil {
				return pgerr.Translate(err, mv.label)
			}
			m.Moved[mv.label] = tag.RowsAffected()
		}
		if _, err := tx.Exec(ctx, spec.fill, in.KeepID, in.MergeID, s.Now()); err != nil {
			return pgerr.Translate(err, in.Entity)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM `+spec.table+` WHERE id = $1`, in.MergeID); err != nil {
			return pgerr.Translate(err, in.Entity)
		}
		return m.record(ctx, tx, p, row, s.Now())
	})
	return m, err
}

func (in MergeRequest) validate() (mergeSpec, error) {
	spec, ok := mergeSpecs[in.Entity]
	var v check
	if !ok {
		v.fail("entity", "invalid_value", "must be one of: lead, contact, company")
	}
	v.id("keep_id", in.KeepID, true)
	v.id("merge_id", in.MergeID, true)
	if in.KeepID == in.MergeID {
		v.fail("merge_id", "same_record", "a record cannot be merged into itself")
	}
	return spec, v.Err
}

// lockMergePair locks both records (in id order) and checks p may merge
// them.
func lockMergePair(ctx context.Context, tx pgx.Tx, p domain.Principal, table string, in MergeRequest) error {
	const what = "record"
	rows, err := tx.Query(ctx, `SELECT id, responsible_id FROM `+table+` WHERE id = ANY($1) ORDER BY id FOR UPDATE`,
		[]int64{in.KeepID, in.MergeID})
	if err != nil {
		return pgerr.Translate(err, what)
	}
	resp := map[int64]*int64{}
	for rows.Next() {
		var id int64
		var r *int64
		if err := rows.Scan(&id, &r); err != nil {
			rows.Close()
			return err
		}
		resp[id] = r
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range []int64{in.KeepID, in.MergeID} {
		r, ok := resp[id]
		hidden := in.Entity == EntityLead && !p.SeesAll() && (r == nil || *r != p.UserID)
		if !ok || hidden {
			return apperr.NotFoundf("%s %d not found", in.Entity, id)
		}
		if !p.CanWriteAll() && (p.Role != domain.RoleManager || r == nil || *r != p.UserID) {
			return apperr.New(apperr.Forbidden, "merge_forbidden",
				"a merge needs a director or admin, or the responsible of both records")
		}
	}
	return nil
}

// record appends the merge to the history.
func (m *Merge) record(ctx context.Context, tx pgx.Tx, p domain.Principal, row []byte, at time.Time) error {
	moved, _ := json.Marshal(m.Moved)
	const q = `
INSERT INTO merges (entity, kept_id, merged_id, merged_row, moved, merged_by, merged_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
RETURNING id, merged_at`
	return tx.QueryRow(ctx, q, m.Entity, m.KeptID, m.MergedID, row, moved, Actor(p), at).Scan(&m.ID, &m.MergedAt)
}

// MergeHistory lists the merges into one record, newest first.
func (s *Store) MergeHistory(ctx context.Context, p domain.Principal, entity string, keptID int64) ([]Merge, error) {
	if entity == EntityLead {
		if _, err := s.GetLead(ctx, p, keptID); err != nil {
			return nil, err
		}
	}
	const q = `
SELECT id, entity, kept_id, merged_id, moved, merged_at
FROM merges
WHERE entity = $1 AND kept_id = $2
ORDER BY id DESC`
	rows, err := s.db.Query(ctx, q, entity, keptID)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Merge, error) {
		var m Merge
		err := r.Scan(&m.ID, &m.Entity, &m.KeptID, &m.MergedID, &m.Moved, &m.MergedAt)
		return m, err
	})
	if out == nil {
		out = []Merge{}
	}
	return out, err
}
