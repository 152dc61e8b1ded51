package intake

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

// importChunk is how many rows are checked for duplicates and written
// per round trip.
const importChunk = 500

// importer carries one import through its transaction.
type importer struct {
	s      *crmcore.Store
	tx     pgx.Tx
	p      domain.Principal
	opts   ImportOptions
	entity string
	stage  int64
	refs   *importRefs
	seen   map[string]int // reason|key → line of the earlier row
	rep    crmcore.ImportReport
}

// Import applies parsed records of one kind as p, through s, in a single
// transaction. Every row is validated and checked for duplicates
// (against the database and the rows above it in the file) and reported
// as created, updated, skipped or error with the reason. A dry run, or a
// file with any error row, is rolled back whole: nothing is ever
// half-applied. Each run is recorded in import_runs.
func Import(ctx context.Context, s *crmcore.Store, p domain.Principal, opts ImportOptions, recs []ImportRecord) (crmcore.ImportReport, error) {
	if err := opts.Validate(p); err != nil {
		return crmcore.ImportReport{}, err
	}
	started := s.Now()
	im := &importer{s: s, p: p, opts: opts}
	im.entity = map[string]string{ImportLeads: crmcore.EntityLead, ImportContacts: crmcore.EntityContact, ImportCompanies: crmcore.EntityCompany}[opts.Kind]
	if opts.Kind == ImportLeads {
		pl, err := s.Pipeline(ctx, crmcore.LeadPipeline, "status")
		if err != nil {
			return crmcore.ImportReport{}, err
		}
		im.stage = pl.First().ID
	}
	if err := analyzeKeyStats(ctx, s.DB()); err != nil {
		return crmcore.ImportReport{}, err
	}
	err := crmcore.InTx(ctx, s.DB(), func(tx pgx.Tx) error {
		im.tx, im.refs = tx, newImportRefs(tx)
		im.reset(len(recs)) // a retried attempt starts afresh
		if err := lookupSettings(ctx, tx); err != nil {
			return err
		}
		if err := im.refs.defaults(ctx, opts); err != nil {
			return err
		}
		for i := 0; i < len(recs); i += importChunk {
			if err := im.chunk(ctx, recs[i:min(i+importChunk, len(recs))]); err != nil {
				return err
			}
			if opts.Progress != nil {
				opts.Progress(min(i+importChunk, len(recs)), len(recs))
			}
		}
		if opts.DryRun || im.rep.Failed > 0 {
			return errRollback
		}
		im.rep.Applied = true
		return nil
	})
	if err != nil && err != errRollback {
		return crmcore.ImportReport{}, err
	}
	return im.rep, recordImport(ctx, s, p, opts, &im.rep, started)
}

// reset forgets what an earlier attempt of the import's transaction
// decided: its report and the keys of the rows it saw.
func (im *importer) reset(total int) {
	im.seen = map[string]int{}
	im.rep = crmcore.ImportReport{Kind: im.opts.Kind, DryRun: im.opts.DryRun, Total: total, Rows: []crmcore.ImportRow{}}
}

// errRollback ends a dry or failed import's transaction without a trace.
var errRollback = fmt.Errorf("import rolled back")

// writing is true while rows are written: not in a dry run, and not once
// a row failed (the transaction will be rolled back anyway).
func (im *importer) writing() bool { return !im.opts.DryRun && im.rep.Failed == 0 }

// chunk validates, matches and writes one chunk of records.
func (im *importer) chunk(ctx context.Context, recs []ImportRecord) error {
	items := make([]importItem, len(recs))
	var probes []crmcore.DupProbe
	for i, rec := range recs {
		resp, err := im.refs.responsible(ctx, rec.Fields["responsible"], im.opts.ResponsibleID)
		if err != nil {
			return err
		}
		items[i] = buildItem(im.opts.Kind, rec, resp.id, im.opts.Source, im.p, im.s.Now())
		if items[i].err == nil {
			items[i].err = resp.err
		}
		if items[i].err == nil && im.opts.Kind == ImportLeads && im.p.Role == domain.RoleManager && resp.id != im.p.UserID {
			items[i].err = apperr.Field("responsible", "forbidden", "a manager imports leads only for themselves")
		}
		if items[i].err == nil && im.opts.Kind == ImportLeads {
			items[i].err, err = im.refs.source(ctx, items[i].lead.Source)
			if err != nil {
				return err
			}
		}
		probes = append(probes, items[i].probe)
	}
	matches, err := crmcore.FindDuplicatesIn(ctx, im.tx, im.p, im.entity, probes)
	if err != nil {
		return err
	}
	var w importWrites
	for i := range items {
		im.decide(&items[i], matches[i], &w)
	}
	if !im.writing() {
		return nil
	}
	return w.run(ctx, im)
}

// decide files one row's outcome and queues its write.
func (im *importer) decide(it *importItem, m crmcore.DupMatches, w *importWrites) {
	row, idx := crmcore.ImportRow{Line: it.line}, len(im.rep.Rows)
	switch {
	case it.empty:
		row.Action, row.Reason = crmcore.RowSkip, "empty row"
	case it.err != nil:
		row.Action, row.Field, row.Reason = crmcore.RowError, it.err.Field, it.err.Message
	case im.seenBefore(it.probe) != "":
		row.Action, row.Reason = crmcore.RowSkip, im.seenBefore(it.probe)
	case m.Found() && im.opts.OnDuplicate != OnDuplicateCreate:
		row.Action, row.Reason = crmcore.RowSkip, dupReason(m)
		if c, ok := im.updatable(m); ok {
			row.Action, row.ID = crmcore.RowUpdate, c.ID
			w.update(it, c.ID, idx)
		}
	default:
		row.Action = crmcore.RowCreate
		if m.Found() {
			row.Reason = "created despite " + dupReason(m)
		}
		w.create(it, idx)
	}
	if !it.empty && it.err == nil {
		im.remember(it.probe, it.line) // a later row like this one is its duplicate
	}
	im.rep.Add(row)
}

// updatable is the candidate an "update" import changes: the first
// visible one of the same entity.
func (im *importer) updatable(m crmcore.DupMatches) (crmcore.DupCandidate, bool) {
	if im.opts.OnDuplicate != OnDuplicateUpdate {
		return crmcore.DupCandidate{}, false
	}
	for _, c := range m.Candidates {
		if c.Entity == im.entity {
			return c, true
		}
	}
	return crmcore.DupCandidate{}, false
}

func dupReason(m crmcore.DupMatches) string {
	if len(m.Candidates) == 0 {
		return "duplicate of a record you may not see"
	}
	return "duplicate of " + m.Candidates[0].Describe()
}

// seenBefore names the earlier row of this file sharing a key, if any.
func (im *importer) seenBefore(pr crmcore.DupProbe) string {
	keys := pr.Keys()
	for _, r := range crmcore.DupReasons {
		if line, ok := im.seen[r+"|"+keys[r]]; ok && keys[r] != "" {
			return fmt.Sprintf("duplicate of line %d (%s)", line, r)
		}
	}
	return ""
}

func (im *importer) remember(pr crmcore.DupProbe, line int) {
	for r, k := range pr.Keys() {
		if _, ok := im.seen[r+"|"+k]; !ok {
			im.seen[r+"|"+k] = line
		}
	}
}

// recordImport writes the run's tallies (dry and failed runs too).
func recordImport(ctx context.Context, s *crmcore.Store, p domain.Principal, o ImportOptions, r *crmcore.ImportReport, started time.Time) error {
	const q = `
INSERT INTO import_runs (kind, format, file_name, dry_run, total, created, updated, skipped, failed,
                         run_by, started_at, finished_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
RETURNING id`
	return crmcore.Write(ctx, func() error {
		return s.DB().QueryRow(ctx, q, o.Kind, o.Format, o.FileName, o.DryRun, r.Total, r.Created, r.Updated,
			r.Skipped, r.Failed, crmcore.Actor(p), started, s.Now()).Scan(&r.RunID)
	})
}

// analyzeKeyStats analyzes, before an import's transaction, the tables
// whose key expressions have no statistics yet (freshly loaded, not yet
// auto-analyzed): without them a chunk's duplicate lookup was measured at
// 8 s instead of 20 ms on a freshly seeded base of 100,000 leads
// (BENCHMARKS.md). Outside the transaction, so its lock is brief.
func analyzeKeyStats(ctx context.Context, q crmcore.Querier) error {
	const stale = `
SELECT t
FROM unnest(ARRAY['leads', 'contacts', 'companies']) AS t
WHERE NOT EXISTS (SELECT 1 FROM pg_stats s WHERE s.schemaname = current_schema() AND s.tablename = t || '_phone_key_idx')
  AND EXISTS (SELECT 1 FROM pg_class c WHERE c.relname = t AND c.relkind = 'r' AND c.reltuples <> 0)`
	rows, err := q.Query(ctx, stale)
	if err != nil {
		return err
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	for _, t := range tables {
		if err == nil {
			_, err = q.Exec(ctx, `ANALYZE `+t) // t is one of the three names above
		}
	}
	return err
}

// lookupSettings keeps the lookups index scans while the tables grow
// inside the import's transaction.
func lookupSettings(ctx context.Context, tx pgx.Tx) error {
	for _, q := range []string{`SET LOCAL enable_seqscan = off`, `SET LOCAL max_parallel_workers_per_gather = 0`} {
		if _, err := tx.Exec(ctx, q); err != nil {
			return fmt.Errorf("prepare duplicate lookups: %w", err)
		}
	}
	return nil
}
