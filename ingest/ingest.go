package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/voronka/voronka/ingest/internal/logrepl"
	"github.com/voronka/voronka/olap"
)

// Streamer mirrors the CRM tables of one PostgreSQL database into one
// ClickHouse database. Run does the work; Status, Healthy and Register
// may be called from other goroutines at any time.
type Streamer struct {
	cfg     Config
	ch      *olap.DB
	log     *slog.Logger
	health  health
	metrics *metrics
	// troubles are the tables whose changes wait for a rebuild.
	troubles *troubles
	// loading is held by a full reload and by a table's rebuild.
	loading sync.Mutex
	// copied, when set (tests), is called after each initial-load chunk.
	copied func(table string, rows int64)
}

// New checks cfg and returns a Streamer writing to ch (an olap.DB whose
// database is migrated).
func New(cfg Config, ch *olap.DB) (*Streamer, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	return &Streamer{cfg: cfg, ch: ch, log: cfg.Logger, metrics: newMetrics(time.Now), troubles: newTroubles()}, nil
}

// Run streams until ctx ends, then returns nil. A failed session (lost
// PostgreSQL connection, server restart, …) is retried with backoff; the
// next one resumes from the slot. While ClickHouse refuses writes the
// stream waits, retrying, and never confirms unwritten changes.
func (s *Streamer) Run(ctx context.Context) error {
	go s.watchWAL(ctx)
	var rebuilding sync.WaitGroup
	rebuilding.Add(1)
	go func() { defer rebuilding.Done(); s.rebuilder(ctx) }()
	defer rebuilding.Wait() // a rebuild in flight ends with ctx
	bo := backoff{Min: s.cfg.RetryMin, Max: s.cfg.RetryMax}
	for attempt := 0; ; attempt++ {
		started := time.Now()
		err := s.session(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if time.Since(started) > time.Minute {
			attempt = 0
		}
		s.health.set(err)
		wait := bo.delay(attempt)
		s.log.Warn("ingest: stream stopped; reconnecting", "err", err, "in", wait)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
	}
}

// Healthy is nil while the stream runs normally and the latest error
// while it retries (ClickHouse or PostgreSQL unreachable, or not
// answering within InsertTimeout), or while a batch has waited longer
// than InsertTimeout for ClickHouse: what a readiness check should
// report. A table in trouble does not make the stream unhealthy (the
// other tables are current); Status lists it.
func (s *Streamer) Healthy() error {
	err, _ := s.health.get()
	if err != nil {
		return err
	}
	if d := s.metrics.stalled(); d > s.cfg.InsertTimeout {
		return fmt.Errorf("clickhouse has not accepted a batch for %s (insert timeout %s)", d.Round(time.Second), s.cfg.InsertTimeout)
	}
	return nil
}

// Status is a snapshot of the stream's metrics.
func (s *Streamer) Status() Status {
	st := s.metrics.status()
	st.Slot = s.cfg.Slot
	err := s.Healthy()
	st.Healthy = err == nil
	if err != nil {
		st.Error = err.Error()
	}
	st.TablesInTrouble = s.troubles.list()
	return st
}

// newWriter is a writer for the stream, or (loading) for a copy of whole
// tables; h receives its health.
func (s *Streamer) newWriter(loading bool, h *health) *writer {
	w := &writer{ch: s.ch, catalog: &catalog{url: s.cfg.PGURL}, plans: map[*table]*plan{}, log: s.log,
		health: h, backoff: backoff{Min: s.cfg.RetryMin, Max: s.cfg.RetryMax}, timeout: s.cfg.InsertTimeout,
		loading: loading, slot: s.cfg.Slot}
	if !loading {
		w.troubles = s.troubles
	}
	return w
}

// session runs one replication connection: publication, slot (and the
// initial load when the checkpoint does not vouch for the slot), stream.
func (s *Streamer) session(ctx context.Context) error {
	tables, err := s.preparePublication(ctx)
	if err != nil {
		return err
	}
	repl, err := dialRepl(ctx, s.cfg.PGURL)
	if err != nil {
		return err
	}
	defer repl.Close()
	start, err := s.prepareSlot(ctx, repl, tables)
	if err != nil {
		return err
	}
	s.metrics.setSnapshotDone(true)
	if err := repl.startReplication(ctx, s.cfg.Slot, s.cfg.Publication, start); err != nil {
		return err
	}
	s.health.set(nil)
	s.log.Info("ingest: streaming", "slot", s.cfg.Slot, "from", start)
	return s.stream(ctx, repl, start)
}

func (s *Streamer) preparePublication(ctx context.Context) ([]publishedTable, error) {
	conn, err := connectPG(ctx, s.cfg.PGURL)
	if err != nil {
		return nil, err
	}
	defer conn.Close(context.Background())
	return ensurePublication(ctx, conn, s.cfg.Publication)
}

// errSlotElsewhere stops a session that would otherwise drop a slot of
// another database.
var errSlotElsewhere = errors.New("replication slot belongs to another database")

// prepareSlot returns the LSN to stream from: the slot's confirmed flush
// position when the checkpoint says its initial load finished; otherwise
// (or when the server invalidated the slot) the slot is (re)created and
// the load done (again) from its snapshot.
func (s *Streamer) prepareSlot(ctx context.Context, repl *replConn, tables []publishedTable) (logrepl.LSN, error) {
	sys, err := repl.identifySystem(ctx)
	if err != nil {
		return 0, err
	}
	if err := s.bounded(ctx, func(ctx context.Context) error { return ensureStateTable(ctx, s.ch) }); err != nil {
		return 0, err
	}
	if err := s.bounded(ctx, func(ctx context.Context) error { return ensureRebuildTable(ctx, s.ch) }); err != nil {
		return 0, err
	}
	var st loadState
	var ok bool
	err = s.bounded(ctx, func(ctx context.Context) (err error) {
		st, ok, err = readState(ctx, s.ch, s.cfg.Slot)
		return err
	})
	if err != nil {
		return 0, err
	}
	slot, err := lookupSlot(ctx, s.cfg.PGURL, s.cfg.Slot)
	if err != nil {
		return 0, err
	}
	if slot.Exists && slot.Database != sys.Database {
		return 0, fmt.Errorf("slot %s: %w %s", s.cfg.Slot, errSlotElsewhere, slot.Database)
	}
	if slot.Exists && !slot.Lost && ok && st.Done && st.SystemID == sys.SystemID && st.Database == sys.Database {
		if err := s.adoptNewTables(ctx, tables); err != nil {
			return 0, err
		}
		return slot.ConfirmedFlush, s.loadTroubles(ctx)
	}
	return s.reload(ctx, repl, sys, slot.Exists, tables)
}

// reload drops the slot if any, creates it anew and copies every table
// from its snapshot, checkpointing before and after.
func (s *Streamer) reload(ctx context.Context, repl *replConn, sys systemInfo, exists bool, tables []publishedTable) (logrepl.LSN, error) {
	s.loading.Lock()
	defer s.loading.Unlock()
	s.metrics.setSnapshotDone(false)
	if exists {
		s.log.Info("ingest: initial load unfinished or unknown; dropping slot to load again", "slot", s.cfg.Slot)
		if err := DropSlot(ctx, s.cfg.PGURL, s.cfg.Slot); err != nil {
			return 0, err
		}
	}
	created, err := repl.createSlot(ctx, s.cfg.Slot)
	if err != nil {
		return 0, err
	}
	taken := time.Now()
	st := loadState{SystemID: sys.SystemID, Database: sys.Database, LSN: created.ConsistentPoint}
	if err := s.bounded(ctx, func(ctx context.Context) error { return writeState(ctx, s.ch, s.cfg.Slot, st) }); err != nil {
		return 0, err
	}
	if err := s.recordLoad(ctx, tables, created.ConsistentPoint, taken, true); err != nil {
		return 0, err
	}
	s.log.Info("ingest: initial load", "slot", s.cfg.Slot, "snapshot", created.Snapshot, "lsn", created.ConsistentPoint)
	if err := s.initialLoad(ctx, created, tables); err != nil {
		return 0, fmt.Errorf("initial load: %w", err)
	}
	if err := s.recordLoad(ctx, tables, created.ConsistentPoint, taken, false); err != nil {
		return 0, err
	}
	st.Done = true
	if err := s.bounded(ctx, func(ctx context.Context) error { return writeState(ctx, s.ch, s.cfg.Slot, st) }); err != nil {
		return 0, err
	}
	if err := s.clearRebuilds(ctx); err != nil { // every table was just copied
		return 0, err
	}
	return created.ConsistentPoint, nil
}

// bounded runs one ClickHouse step of a session's start with
// InsertTimeout, so a ClickHouse that stopped answering fails the session
// (and shows in Healthy) instead of holding it.
func (s *Streamer) bounded(ctx context.Context, op func(context.Context) error) error {
	w := writer{timeout: s.cfg.InsertTimeout}
	return w.bounded(ctx, op)
}
