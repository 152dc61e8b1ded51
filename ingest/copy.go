package ingest

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"golang.org/x/sync/errgroup"

	"github.com/voronka/voronka/ingest/internal/logrepl"
)

// copyTable streams one table's rows under the worker's snapshot into
// ClickHouse in chunks of CopyBatch rows: one goroutine decodes (text by
// type OID, exactly as the stream does), another inserts, so PostgreSQL
// and ClickHouse work at the same time.
func (s *Streamer) copyTable(ctx context.Context, conn *pgx.Conn, w *writer, name string, cols []string, version logrepl.LSN) error {
	var total int64
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM ONLY public."+quoteIdent(name)).Scan(&total); err != nil {
		return err
	}
	s.metrics.snapshotTable(name, 0, total)
	chunks := make(chan []*row, 1)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		defer close(chunks)
		return s.readTable(gctx, conn.PgConn(), name, cols, version, chunks)
	})
	g.Go(func() error {
		var copied int64
		for chunk := range chunks {
			t := chunk[0].t
			write := func(ctx context.Context) error { return w.writeRows(ctx, t, chunk) }
			if err := w.retry(gctx, "copy "+name, func() error { return w.bounded(gctx, write) }); err != nil {
				return err
			}
			copied += int64(len(chunk))
			s.metrics.snapshotTable(name, copied, total)
			if s.copied != nil {
				s.copied(name, copied)
			}
		}
		return nil
	})
	return g.Wait()
}

func (s *Streamer) readTable(ctx context.Context, pg *pgconn.PgConn, name string, cols []string, version logrepl.LSN, out chan<- []*row) error {
	rr := pg.Exec(ctx, selectAll(name, cols))
	defer rr.Close()
	if !rr.NextResult() {
		return rr.Close()
	}
	res := rr.ResultReader()
	t, err := snapshotTable(name, res.FieldDescriptions())
	if err != nil {
		return err
	}
	chunk := make([]*row, 0, s.cfg.CopyBatch)
	for res.NextRow() {
		r, err := textRow(t, res.Values(), version)
		if err != nil {
			return err
		}
		if chunk = append(chunk, r); len(chunk) == s.cfg.CopyBatch {
			if err := send(ctx, out, chunk); err != nil {
				return err
			}
			chunk = make([]*row, 0, s.cfg.CopyBatch)
		}
	}
	if _, err := res.Close(); err != nil {
		return err
	}
	if len(chunk) > 0 {
		return send(ctx, out, chunk)
	}
	return nil
}

func send(ctx context.Context, out chan<- []*row, chunk []*row) error {
	select {
	case out <- chunk:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// snapshotTable describes a query result as the Relation a stream would
// have sent for the table (keys: the mirror's sorting key).
func snapshotTable(name string, fds []pgconn.FieldDescription) (*table, error) {
	rel := &logrepl.Relation{Namespace: "public", Name: name}
	for _, fd := range fds {
		rel.ID = fd.TableOID
		rel.Columns = append(rel.Columns, logrepl.RelationColumn{Name: fd.Name, TypeOID: fd.DataTypeOID, TypeMod: fd.TypeModifier})
	}
	t, err := newTableKeyed(rel)
	if err != nil {
		return nil, err
	}
	return t, nil
}

// textRow converts one result row (text format; nil = NULL).
func textRow(t *table, vals [][]byte, version logrepl.LSN) (*row, error) {
	r := &row{t: t, values: make([]any, len(vals)), version: version}
	for i, b := range vals {
		if b == nil {
			continue
		}
		v, err := decodeText(t.rel.Columns[i].TypeOID, b)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", t.name(), t.rel.Columns[i].Name, err)
		}
		r.values[i] = v
	}
	return r, nil
}
