package intake

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
)

// ImportCalls reads a call log (Asterisk's Master.csv or the plain
// format) and records each outside call, answered or not, as a done call
// activity of the user whose extension it is, at the call's start, on
// the deal or lead its other party's number leads to (callLinks). A
// call whose other side has fewer than MinDigits digits is internal and
// skipped; a call already imported (its source key) is a duplicate.
// Like the lead import it is one transaction: a dry run, or a file with
// any error row (an unknown extension, an unreadable time), writes
// nothing. Each run is recorded in import_runs. Admins and directors
// only.
func ImportCalls(ctx context.Context, s *crmcore.Store, p domain.Principal, data []byte, o CallOptions) (CallResult, error) {
	if err := o.Validate(p); err != nil {
		return CallResult{}, err
	}
	rows, enc, err := parseCalls(data, o)
	if err != nil {
		return CallResult{}, err
	}
	if len(rows) == 0 {
		return CallResult{}, errNoCalls
	}
	started := s.Now()
	var res CallResult
	err = crmcore.InTx(ctx, s.DB(), func(tx pgx.Tx) error {
		if err := callLookupSettings(ctx, tx); err != nil {
			return err
		}
		res = CallResult{File: CallFile{Format: o.Format, Encoding: enc, Zone: o.Zone, MinDigits: o.MinDigits},
			Report: crmcore.ImportReport{Kind: ImportCallsKind, DryRun: o.DryRun, Total: len(rows),
				Rows: make([]crmcore.ImportRow, 0, len(rows))}}
		w, err := planCalls(ctx, tx, rows, o, &res)
		if err != nil {
			return err
		}
		if o.DryRun || res.Report.Failed > 0 {
			return errRollback
		}
		if err := w.write(ctx, tx, &res.Report, s.Now()); err != nil {
			return err
		}
		res.Report.Applied = true
		return nil
	})
	if err != nil && err != errRollback {
		return CallResult{}, err
	}
	run := ImportOptions{Kind: ImportCallsKind, Format: o.Format, FileName: o.FileName, DryRun: o.DryRun}
	return res, recordImport(ctx, s, p, run, &res.Report, started)
}

// callWrite is one call to record: the report row it answers and the
// activity's values.
type callWrite struct {
	row       int
	key       string
	owner     int64
	out       bool
	phone     string
	at        time.Time
	durationS int
	subject   string
	link      callLink
}

type callWrites []callWrite

// callPlan is a row's call as far as the file alone decides it.
type callPlan struct {
	ext, other string
	out        bool
}

// planCalls decides every row in file order and fills the report: it
// reads the users' extensions, the keys already imported and the links
// of every number of the file in a few queries, not one per row.
func planCalls(ctx context.Context, tx pgx.Tx, rows []callRow, o CallOptions, res *CallResult) (callWrites, error) {
	exts, err := userExtensions(ctx, tx)
	if err != nil {
		return nil, err
	}
	plans := make([]callPlan, len(rows))
	var keys, phones []string
	phoneSeen := map[string]bool{}
	for i := range rows {
		if rows[i].err != "" {
			continue
		}
		pl := &plans[i]
		pl.ext, pl.out, pl.other = rows[i].sides(exts, o.MinDigits)
		keys = append(keys, rows[i].key)
		if k := crmcore.PhoneKey(pl.other); k != "" && !phoneSeen[k] {
			phoneSeen[k] = true
			phones = append(phones, k)
		}
	}
	imported, err := importedCalls(ctx, tx, keys)
	if err != nil {
		return nil, err
	}
	links, err := callLinks(ctx, tx, phones)
	if err != nil {
		return nil, err
	}
	var w callWrites
	seen := map[string]int{}
	rep := &res.Report
	for i, c := range rows {
		pl := plans[i]
		row := crmcore.ImportRow{Line: c.line}
		owner, known := exts[pl.ext]
		switch {
		case c.err != "":
			row.Action, row.Field, row.Reason = crmcore.RowError, c.field, c.err
		case internalNumber(pl.other, o.MinDigits):
			row.Action, row.Reason = crmcore.RowInternal, fmt.Sprintf("internal call %s → %s", c.src, c.dst)
			res.Internal++
		case imported[c.key] != 0:
			row.Action, row.ID, row.Reason = crmcore.RowDuplicate, imported[c.key], fmt.Sprintf("already imported as activity #%d", imported[c.key])
			res.Duplicates++
		case seen[c.key] != 0:
			row.Action, row.Reason = crmcore.RowDuplicate, fmt.Sprintf("duplicate of line %d", seen[c.key])
			res.Duplicates++
		case !known: // after the duplicates: a call imported before is no error now
			row.Action, row.Field, row.Reason = crmcore.RowError, "extension", c.unknownExtension(pl.ext)
		default:
			seen[c.key] = c.line
			phone := crmcore.PhoneKey(pl.other)
			cw := callWrite{row: len(rep.Rows), key: c.key, owner: owner, out: pl.out, phone: phone, at: c.at,
				durationS: c.durationS, subject: callSubject(pl.out, pl.other, c.disposition), link: links[phone]}
			row.Action, row.Reason = crmcore.RowCreate, cw.link.describe()
			w = append(w, cw)
		}
		rep.Add(row)
		if o.Progress != nil && (i+1)%10_000 == 0 {
			o.Progress(i+1, len(rows))
		}
	}
	return w, nil
}

// describe says in a report row what the call was linked to.
func (l callLink) describe() string {
	switch {
	case l.dealID != nil:
		return fmt.Sprintf("on deal #%d", *l.dealID)
	case l.leadID != nil:
		return fmt.Sprintf("on lead #%d", *l.leadID)
	case l.contactID != nil:
		return fmt.Sprintf("contact #%d, no single open deal nor open lead: not linked", *l.contactID)
	}
	return "no client with this number: not linked"
}
