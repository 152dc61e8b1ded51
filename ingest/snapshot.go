package ingest

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"golang.org/x/sync/errgroup"

	"github.com/voronka/voronka/olap"
)

// initialLoad copies every published table into ClickHouse as of the
// slot's exported snapshot, with _version = the consistent point, so the
// stream that starts there neither misses nor repeats a transaction.
// The mirror tables are emptied first: whatever an interrupted earlier
// load left there is replaced, not merged (rows deleted since would
// otherwise linger). Tables are copied by CopyWorkers connections that
// each import the snapshot.
func (s *Streamer) initialLoad(ctx context.Context, snap createdSlot, tables []publishedTable) error {
	w := s.newWriter(true, &s.health)
	defer w.close()
	for _, t := range tables {
		s.metrics.snapshotTable(t.Name, 0, 0)
		if err := w.retry(ctx, "empty "+t.Name, func() error {
			return w.bounded(ctx, func(ctx context.Context) error { return s.truncateCH(ctx, t.Name) })
		}); err != nil {
			return err
		}
	}
	todo := make(chan string, len(tables))
	for _, t := range tables {
		todo <- t.Name
	}
	close(todo)
	g, gctx := errgroup.WithContext(ctx)
	for i := 0; i < s.cfg.CopyWorkers; i++ {
		g.Go(func() error { return s.copyWorker(gctx, snap, todo) })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	names := make([]string, len(tables))
	for i, t := range tables {
		names[i] = t.Name
	}
	// derived tables from the loaded copies, each once
	return w.retry(ctx, "derive tables", func() error { return s.ch.RebuildDerivedOf(ctx, names) })
}

func (s *Streamer) truncateCH(ctx context.Context, table string) error {
	q, err := s.ch.Checked(table)
	if err != nil {
		return err
	}
	return s.ch.DDL(ctx, olap.SQL("TRUNCATE TABLE "+q))
}

// copyWorker opens a REPEATABLE READ transaction on the exported snapshot
// and copies tables from todo until it is empty.
func (s *Streamer) copyWorker(ctx context.Context, snap createdSlot, todo <-chan string) error {
	conn, err := importSnapshot(ctx, s.cfg.PGURL, snap)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	tables, err := publishedTables(ctx, conn)
	if err != nil {
		return err
	}
	cols := map[string][]string{}
	for _, t := range tables {
		cols[t.Name] = t.Columns
	}
	w := s.newWriter(true, &s.health)
	defer w.close()
	for name := range todo {
		if err := s.copyTable(ctx, conn, w, name, cols[name], snap.ConsistentPoint); err != nil {
			return fmt.Errorf("copy %s: %w", name, err)
		}
	}
	return nil
}

// connectPG opens a normal connection with the session settings the text
// decoder expects.
func connectPG(ctx context.Context, url string) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse postgres url: %w", err)
	}
	for k, v := range sessionParams {
		cfg.RuntimeParams[k] = v
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to postgres: %w", err)
	}
	return conn, nil
}

func selectAll(table string, cols []string) string {
	q := make([]string, len(cols))
	for i, c := range cols {
		q[i] = quoteIdent(c)
	}
	return fmt.Sprintf("SELECT %s FROM ONLY public.%s", strings.Join(q, ", "), quoteIdent(table))
}
