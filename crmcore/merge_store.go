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

// DealMerge is POST /deals/merge's body: merge_id is merged into
// keep_id (MergeRequest with entity deal).
type DealMerge struct {
	KeepID  int64 `json:"keep_id"`
	MergeID int64 `json:"merge_id"`
}

// Merge is one entry of the merge history.
type Merge struct {
	ID       int64            `json:"id"`
	Entity   string           `json:"entity"`
	KeptID   int64            `json:"kept_id"`
	MergedID int64            `json:"merged_id"`
	Moved    map[string]int64 `json:"moved"`
	// Removed counts what was deleted with the merged record (a deal's
	// stage_changes and forecast_changes); the log keeps those rows.
	Removed  map[string]int64 `json:"removed,omitempty"`
	MergedAt time.Time        `json:"merged_at"`
	// MergedRow and History are the merged record as it was and the rows
	// deleted with it, by table (GET /merges only).
	MergedRow json.RawMessage `json:"merged_row,omitempty"`
	History   json.RawMessage `json:"history,omitempty"`
}

// mergeMove re-points one reference column from the merged record to the
// kept one; label names it in the history ("activities", "deals", …).
// sql, when set, is the statement instead (over $1 kept, $2 merged); a
// count-only move (counted) is a SELECT over $1 (merged) of what moves
// through another (a deal's payments, through its invoices), run before
// it.
type mergeMove struct {
	label, table, col string
	sql               string
	counted           bool
}

// mergeGone is what is deleted with the merged record: label, and a
// query of those rows as one JSON array over $1 (the merged id) for the
// log.
type mergeGone struct{ label, rows string }

// mergeSpec is how one entity merges: who may merge which two records
// (allow, over both rows locked), what moves, which empty fields of the
// kept record take the merged record's values, and what goes with it.
type mergeSpec struct {
	table string
	allow func(ctx context.Context, tx pgx.Tx, p domain.Principal, in MergeRequest, resp map[int64]*int64) error
	moves []mergeMove
	fill  string // UPDATE … SET col = coalesce(k.col, m.col) FROM table m WHERE k.id = $1 AND m.id = $2
	gone  []mergeGone
}

var mergeSpecs = map[string]mergeSpec{
	EntityDeal: dealMergeSpec,
	EntityLead: {table: "leads", allow: recordMergeAllowed, moves: []mergeMove{
		{label: "activities", table: "activities", col: "lead_id"}, {label: "deals", table: "deals", col: "lead_id"}, {label: "mail_messages", table: "mail_messages", col: "lead_id"}},
		fill: `UPDATE leads k SET
    contact_phone = coalesce(k.contact_phone, m.contact_phone),
    contact_email = coalesce(k.contact_email, m.contact_email),
    contact_name  = CASE WHEN k.contact_name = '' THEN m.contact_name ELSE k.contact_name END,
    company_name  = CASE WHEN k.company_name = '' THEN m.company_name ELSE k.company_name END,
    contact_id    = coalesce(k.contact_id, m.contact_id),
    company_id    = coalesce(k.company_id, m.company_id),
    updated_at    = $3
FROM leads m WHERE k.id = $1 AND m.id = $2`},
	EntityContact: {table: "contacts", allow: recordMergeAllowed, moves: []mergeMove{
		{label: "deals", table: "deals", col: "contact_id"}, {label: "leads", table: "leads", col: "contact_id"}},
		fill: `UPDATE contacts k SET
    phone       = coalesce(k.phone, m.phone),
    email       = coalesce(k.email, m.email),
    position    = coalesce(k.position, m.position),
    company_id  = coalesce(k.company_id, m.company_id),
    middle_name = CASE WHEN k.middle_name = '' THEN m.middle_name ELSE k.middle_name END,
    updated_at  = $3
FROM contacts m WHERE k.id = $1 AND m.id = $2`},
	EntityCompany: {table: "companies", allow: recordMergeAllowed, moves: []mergeMove{
		{label: "contacts", table: "contacts", col: "company_id"}, {label: "deals", table: "deals", col: "company_id"}, {label: "leads", table: "leads", col: "company_id"},
		{label: "contracts", table: "contracts", col: "company_id"}},
		fill: `UPDATE companies k SET
    inn        = coalesce(k.inn, m.inn),
    phone      = coalesce(k.phone, m.phone),
    email      = coalesce(k.email, m.email),
    address    = coalesce(k.address, m.address),
    updated_at = $3
FROM companies m WHERE k.id = $1 AND m.id = $2`},
}

// MergeRecords merges in.MergeID into in.KeepID in one transaction: the
// merged record's activities, deals, contacts and leads (a deal's
// activities, items, invoices, observers and leads) point to the kept
// one, the kept record's empty fields take the merged one's values, the
// merged record is deleted (with a deal's stage and forecast history)
// and the merge is recorded with its old row and what went with it. Both
// rows are locked in id order first, so concurrent merges of one record
// queue, and the later finds it gone (404). Who may merge: mergeSpec's
// allow (recordMergeAllowed, dealMergeAllowed).
func (s *Store) MergeRecords(ctx context.Context, p domain.Principal, in MergeRequest) (Merge, error) {
	spec, err := in.validate()
	if err != nil {
		return Merge{}, err
	}
	var m Merge
	err = inTx(ctx, s.db, func(tx pgx.Tx) error {
		m = Merge{Entity: in.Entity, KeptID: in.KeepID, MergedID: in.MergeID, Moved: map[string]int64{}}
		resp, err := lockMergePair(ctx, tx, spec.table, in)
		if err != nil {
			return err
		}
		if err := spec.allow(ctx, tx, p, in, resp); err != nil {
			return err
		}
		var row []byte
		if err := tx.QueryRow(ctx, `SELECT to_jsonb(t) FROM `+spec.table+` t WHERE id = $1`, in.MergeID).Scan(&row); err != nil {
			return pgerr.Translate(err, in.Entity)
		}
		history, err := m.keepGone(ctx, tx, spec)
		if err != nil {
			return err
		}
		if err := m.move(ctx, tx, spec); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, spec.fill, in.KeepID, in.MergeID, s.Now()); err != nil {
			return pgerr.Translate(err, in.Entity)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM `+spec.table+` WHERE id = $1`, in.MergeID); err != nil {
			return pgerr.Translate(err, in.Entity)
		}
		return m.record(ctx, tx, p, row, history, s.Now())
	})
	return m, err
}

// move runs the spec's moves, counting each.
func (m *Merge) move(ctx context.Context, tx pgx.Tx, spec mergeSpec) error {
	for _, mv := range spec.moves {
		var n int64
		switch {
		case mv.counted:
			if err := tx.QueryRow(ctx, mv.sql, m.MergedID).Scan(&n); err != nil {
				return pgerr.Translate(err, mv.label)
			}
		default:
			q := mv.sql
			if q == "" {
				q = `UPDATE ` + mv.table + ` SET ` + mv.col + ` = $1 WHERE ` + mv.col + ` = $2`
			}
			tag, err := tx.Exec(ctx, q, m.KeptID, m.MergedID)
			if err != nil {
				return pgerr.Translate(err, mv.label)
			}
			n = tag.RowsAffected()
		}
		m.Moved[mv.label] = n
	}
	return nil
}

// keepGone reads the rows the merged record takes with it, as the log's
// history ({label: [rows]}), and counts them in Removed.
func (m *Merge) keepGone(ctx context.Context, tx pgx.Tx, spec mergeSpec) (map[string]json.RawMessage, error) {
	history := map[string]json.RawMessage{}
	for _, g := range spec.gone {
		var rows json.RawMessage
		var n int64
		q := `SELECT coalesce(jsonb_agg(to_jsonb(r)), '[]'), count(*) FROM (` + g.rows + `) r`
		if err := tx.QueryRow(ctx, q, m.MergedID).Scan(&rows, &n); err != nil {
			return nil, pgerr.Translate(err, g.label)
		}
		if m.Removed == nil {
			m.Removed = map[string]int64{}
		}
		history[g.label], m.Removed[g.label] = rows, n
	}
	return history, nil
}

// MergeDeals merges in.MergeID into in.KeepID: MergeRecords of entity
// deal.
func (s *Store) MergeDeals(ctx context.Context, p domain.Principal, in DealMerge) (Merge, error) {
	return s.MergeRecords(ctx, p, MergeRequest{Entity: EntityDeal, KeepID: in.KeepID, MergeID: in.MergeID})
}

func (in MergeRequest) validate() (mergeSpec, error) {
	spec, ok := mergeSpecs[in.Entity]
	var v check
	if !ok {
		v.fail("entity", "invalid_value", "must be one of: lead, contact, company, deal")
	}
	v.id("keep_id", in.KeepID, true)
	v.id("merge_id", in.MergeID, true)
	if in.KeepID == in.MergeID {
		v.fail("merge_id", "same_record", "a record cannot be merged into itself")
	}
	return spec, v.Err
}

// lockMergePair locks both records in id order (so two merges touching
// one record never deadlock) and returns each one's responsible; a
// record missing (or deleted by a merge that held the lock first) is a
// 404 on its field.
func lockMergePair(ctx context.Context, tx pgx.Tx, table string, in MergeRequest) (map[int64]*int64, error) {
	const what = "record"
	rows, err := tx.Query(ctx, `SELECT id, responsible_id FROM `+table+` WHERE id = ANY($1) ORDER BY id FOR UPDATE`,
		[]int64{in.KeepID, in.MergeID})
	if err != nil {
		return nil, pgerr.Translate(err, what)
	}
	resp := map[int64]*int64{}
	for rows.Next() {
		var id int64
		var r *int64
		if err := rows.Scan(&id, &r); err != nil {
			rows.Close()
			return nil, err
		}
		resp[id] = r
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, f := range in.fields() {
		if _, ok := resp[f.id]; !ok {
			return nil, mergeNotFound(in.Entity, f)
		}
	}
	return resp, nil
}

// mergeField is one id of a merge request with its field name.
type mergeField struct {
	name string
	id   int64
}

func (in MergeRequest) fields() []mergeField {
	return []mergeField{{"keep_id", in.KeepID}, {"merge_id", in.MergeID}}
}

func mergeNotFound(entity string, f mergeField) error {
	e := apperr.NotFoundf("%s %d not found", entity, f.id)
	e.Field = f.name
	return e
}

// recordMergeAllowed is who merges leads, contacts and companies:
// directors and admins any two, a manager records they are responsible
// for (both); a lead p may not read is a 404.
func recordMergeAllowed(_ context.Context, _ pgx.Tx, p domain.Principal, in MergeRequest, resp map[int64]*int64) error {
	for _, f := range in.fields() {
		r := resp[f.id]
		if in.Entity == EntityLead && !p.SeesAll() && (r == nil || *r != p.UserID) {
			return mergeNotFound(in.Entity, f)
		}
		if !p.CanWriteAll() && (p.Role != domain.RoleManager || r == nil || *r != p.UserID) {
			return apperr.New(apperr.Forbidden, "merge_forbidden",
				"a merge needs a director or admin, or the responsible of both records")
		}
	}
	return nil
}

// record appends the merge to the history.
func (m *Merge) record(ctx context.Context, tx pgx.Tx, p domain.Principal, row []byte, history map[string]json.RawMessage, at time.Time) error {
	moved, _ := json.Marshal(m.Moved)
	removed, _ := json.Marshal(m.Removed)
	hist, _ := json.Marshal(history)
	if m.Removed == nil {
		removed = []byte("{}")
	}
	const q = `
INSERT INTO merges (entity, kept_id, merged_id, merged_row, moved, removed, history, merged_by, merged_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
RETURNING id, merged_at`
	return tx.QueryRow(ctx, q, m.Entity, m.KeptID, m.MergedID, row, moved, removed, hist, Actor(p), at).Scan(&m.ID, &m.MergedAt)
}

// MergeHistory lists the merges into one record, newest first, each with
// the merged row and what went with it (those for roles that see all
// records only: a manager gets the ids and counts). A lead or deal p may
// not read answers 404.
func (s *Store) MergeHistory(ctx context.Context, p domain.Principal, entity string, keptID int64) ([]Merge, error) {
	switch entity {
	case EntityLead:
		if _, err := s.GetLead(ctx, p, keptID); err != nil {
			return nil, err
		}
	case EntityDeal:
		if err := s.CheckDealRead(ctx, p, keptID); err != nil {
			return nil, err
		}
	}
	const q = `
SELECT id, entity, kept_id, merged_id, moved, removed, merged_at, merged_row, history
FROM merges
WHERE entity = $1 AND kept_id = $2
ORDER BY id DESC`
	rows, err := s.db.Query(ctx, q, entity, keptID)
	if err != nil {
		return nil, err
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Merge, error) {
		var m Merge
		err := r.Scan(&m.ID, &m.Entity, &m.KeptID, &m.MergedID, &m.Moved, &m.Removed, &m.MergedAt, &m.MergedRow, &m.History)
		if len(m.Removed) == 0 {
			m.Removed, m.History = nil, nil
		}
		if !p.SeesAll() { // the merged record may have been another manager's
			m.MergedRow, m.History = nil, nil
		}
		return m, err
	})
	if out == nil {
		out = []Merge{}
	}
	return out, err
}

// dealMergeSpec: a deal's activities, items, invoices (their payments
// with them), observers and converted leads move to the kept deal; the
// merged deal's responsible observes the kept deal (their activities
// are on it now); its stage changes and forecast changes are deleted
// with it and kept in the log; the kept deal's amount, stage and path
// stay its own.
var dealMergeSpec = mergeSpec{table: "deals", allow: dealMergeAllowed,
	moves: []mergeMove{
		{label: "activities", table: "activities", col: "deal_id"},
		{label: "deal_items", table: "deal_items", col: "deal_id"},
		{label: "payments", counted: true, sql: `SELECT count(*) FROM payments WHERE invoice_id IN (SELECT id FROM invoices WHERE deal_id = $1)`},
		{label: "invoices", table: "invoices", col: "deal_id"},
		{label: "orders", table: "orders", col: "deal_id"}, // and their acts with them
		{label: "observers", sql: `
INSERT INTO deal_observers (deal_id, user_id)
SELECT $1, m.u
FROM (SELECT user_id AS u FROM deal_observers WHERE deal_id = $2
      UNION
      SELECT responsible_id FROM deals WHERE id = $2) AS m
WHERE m.u <> (SELECT responsible_id FROM deals WHERE id = $1)
ON CONFLICT DO NOTHING`},
		{label: "leads", table: "leads", col: "deal_id"}},
	fill: `UPDATE deals k SET
    company_id = coalesce(k.company_id, m.company_id),
    contact_id = coalesce(k.contact_id, m.contact_id),
    source     = coalesce(k.source, m.source),
    lead_id    = coalesce(k.lead_id, m.lead_id),
    updated_at = $3
FROM deals m WHERE k.id = $1 AND m.id = $2`,
	gone: []mergeGone{
		{"stage_changes", `SELECT * FROM stage_changes WHERE deal_id = $1 ORDER BY changed_at, id`},
		{"forecast_changes", `SELECT * FROM deal_forecast_changes WHERE deal_id = $1 ORDER BY changed_at, id`}},
}

// dealMergeAllowed: a deal p may not read is a 404 (as everywhere); only
// directors and admins merge deals (403 for anyone else who reads both);
// both must be in one pipeline (422 other_pipeline), and the merged deal
// not won (422 merge_won: its revenue would leave the reports; keep the
// won one instead).
func dealMergeAllowed(ctx context.Context, tx pgx.Tx, p domain.Principal, in MergeRequest, _ map[int64]*int64) error {
	const q = `
SELECT d.pipeline_id,
       s.kind,
       d.responsible_id = $2 OR EXISTS (SELECT 1 FROM deal_observers o WHERE o.deal_id = d.id AND o.user_id = $2)
FROM deals d
JOIN stages s ON s.id = d.stage_id
WHERE d.id = $1`
	type dealSide struct {
		pipeline int64
		kind     string
		mine     bool
	}
	var sides [2]dealSide
	for i, f := range in.fields() {
		d := &sides[i]
		if err := tx.QueryRow(ctx, q, f.id, p.UserID).Scan(&d.pipeline, &d.kind, &d.mine); err != nil {
			return pgerr.Translate(err, "deal")
		}
		if !p.SeesAll() && !d.mine {
			return mergeNotFound(EntityDeal, f)
		}
	}
	if !p.CanWriteAll() {
		return apperr.New(apperr.Forbidden, "merge_forbidden", "only a director or admin merges deals")
	}
	if sides[0].pipeline != sides[1].pipeline {
		return apperr.Field("merge_id", "other_pipeline", "the deals are in different pipelines: only deals of one pipeline merge")
	}
	if sides[1].kind == "won" {
		return apperr.Field("merge_id", "merge_won", "a won deal cannot be merged away: merge the other deal into it")
	}
	return nil
}
