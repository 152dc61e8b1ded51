package intake

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/internal/pgerr"
)

// importWrites queues one chunk's inserts and updates, sent as one
// pgx batch (one round trip) inside the import's transaction.
type importWrites struct{ ops []importOp }

// importOp is one queued write: an insert (updateID 0) or an update of
// updateID, and the report row that receives the id.
type importOp struct {
	it       *importItem
	updateID int64
	row      int
}

// importLeadSQL adds one lead and its entry into the first status.
const importLeadSQL = `
WITH l AS (
    INSERT INTO leads (title, source, stage_id, responsible_id, contact_name, contact_phone,
                       contact_email, company_name, created_by, created_at, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
    RETURNING id, stage_id, created_at)
INSERT INTO lead_status_changes (lead_id, to_stage_id, changed_at, changed_by)
SELECT id, stage_id, created_at, $9 FROM l
RETURNING lead_id`

// Updates of an "update" import fill the matched record from the row:
// given values replace, blank ones keep what is there.
const (
	importLeadUpdateSQL = `
UPDATE leads SET
    contact_name  = coalesce(nullif($2, ''), contact_name),
    contact_phone = coalesce($3, contact_phone),
    contact_email = coalesce($4, contact_email),
    company_name  = coalesce(nullif($5, ''), company_name),
    updated_at    = $6
WHERE id = $1
RETURNING id`
	importContactUpdateSQL = `
UPDATE contacts SET
    phone      = coalesce($2, phone),
    email      = coalesce($3, email),
    position   = coalesce($4, position),
    updated_at = $5
WHERE id = $1
RETURNING id`
	importCompanyUpdateSQL = `
UPDATE companies SET
    inn        = coalesce($2, inn),
    phone      = coalesce($3, phone),
    email      = coalesce($4, email),
    address    = coalesce($5, address),
    updated_at = $6
WHERE id = $1
RETURNING id`
)

func (w *importWrites) create(it *importItem, row int) {
	w.ops = append(w.ops, importOp{it: it, row: row})
}

func (w *importWrites) update(it *importItem, id int64, row int) {
	w.ops = append(w.ops, importOp{it: it, updateID: id, row: row})
}

// run sends the queue; each created or updated id lands in its report row.
func (w *importWrites) run(ctx context.Context, im *importer) error {
	if len(w.ops) == 0 {
		return nil
	}
	var b pgx.Batch
	now := im.s.Now()
	for _, op := range w.ops {
		q, args := im.insertSQL(op.it, now)
		if op.updateID != 0 {
			q, args = im.updateSQL(op.it, op.updateID, now)
		}
		b.Queue(q, args...)
	}
	res := im.tx.SendBatch(ctx, &b)
	for _, op := range w.ops {
		id, err := im.scanID(res.QueryRow(), op.updateID != 0)
		if err != nil {
			res.Close()
			return fmt.Errorf("import line %d: %w", op.it.line, pgerr.Translate(err, "row"))
		}
		im.rep.Rows[op.row].ID = id
	}
	return res.Close()
}

// insertSQL is the statement and arguments creating one row's record.
func (im *importer) insertSQL(it *importItem, now time.Time) (string, []any) {
	switch im.opts.Kind {
	case ImportLeads:
		l := it.lead
		return importLeadSQL, []any{l.Title, l.Source, im.stage, l.ResponsibleID, l.Contact.Name,
			crmcore.LeadNullText(l.Contact.Phone), crmcore.LeadNullText(l.Contact.Email), l.Company.Name, crmcore.Actor(im.p), now}
	case ImportContacts:
		return crmcore.ContactInsert(im.p, it.contact, now)
	}
	return crmcore.CompanyInsert(im.p, it.company, now)
}

// updateSQL is the statement and arguments filling record id from a row.
func (im *importer) updateSQL(it *importItem, id int64, now time.Time) (string, []any) {
	switch im.opts.Kind {
	case ImportLeads:
		l := it.lead
		return importLeadUpdateSQL, []any{id, l.Contact.Name, crmcore.LeadNullText(l.Contact.Phone),
			crmcore.LeadNullText(l.Contact.Email), l.Company.Name, now}
	case ImportContacts:
		c := it.contact
		return importContactUpdateSQL, []any{id, crmcore.NullText(c.Phone), crmcore.NullText(c.Email), crmcore.NullText(c.Position), now}
	}
	c := it.company
	return importCompanyUpdateSQL, []any{id, crmcore.NullText(c.INN), crmcore.NullText(c.Phone), crmcore.NullText(c.Email), crmcore.NullText(c.Address), now}
}

// scanID reads the id a write returns: inserts of contacts and companies
// return the whole record (the statements the API uses), the others the id.
func (im *importer) scanID(row pgx.Row, update bool) (int64, error) {
	switch {
	case !update && im.opts.Kind == ImportContacts:
		c, err := crmcore.ScanContact(row)
		return c.ID, err
	case !update && im.opts.Kind == ImportCompanies:
		c, err := crmcore.ScanCompany(row)
		return c.ID, err
	}
	var id int64
	err := row.Scan(&id)
	return id, err
}
