package crmcore

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/voronka/voronka/internal/pgerr"
)

// OpenPool connects to PostgreSQL and checks the connection.
func OpenPool(ctx context.Context, url string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse postgres url: %w", err)
	}
	if cfg.MaxConns < 16 {
		cfg.MaxConns = 16
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to postgres: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("ping postgres: %w", err)
	}
	return pool, nil
}

// inTx runs fn in a transaction, committing on success; a transaction
// that meets a deadlock or a serialization failure is run again whole
// (InTx).
func inTx(ctx context.Context, db *pgxpool.Pool, fn func(pgx.Tx) error) error {
	return InTx(ctx, db, fn)
}

// InTx is how every write of the core and its subpackages runs: fn in a
// transaction on db, committed on success, and begun again from the
// start when PostgreSQL refused it for a deadlock or a serialization
// failure (pgerr.Retry: a few attempts, then 503). fn must not keep
// state across attempts. A PostgreSQL out of reach is a 503 unavailable.
func InTx(ctx context.Context, db interface {
	Begin(context.Context) (pgx.Tx, error)
}, fn func(pgx.Tx) error) error {
	err := pgerr.Retry(ctx, func() error { return pgx.BeginFunc(ctx, db, fn) })
	if pgerr.Unavailable(err) {
		return pgerr.Translate(err, "write")
	}
	noteWrite(ctx, err)
	return err
}

// write runs one statement outside a transaction with the retries of
// InTx: fn must only run the statement and read its answer.
func write(ctx context.Context, fn func() error) error {
	err := pgerr.Retry(ctx, fn)
	if pgerr.Unavailable(err) {
		return pgerr.Translate(err, "write")
	}
	noteWrite(ctx, err)
	return err
}

// Write is write for the core's subpackages: one writing statement
// outside a transaction, run again after a deadlock or a serialization
// failure; fn must only run the statement and read its answer.
func Write(ctx context.Context, fn func() error) error { return write(ctx, fn) }

// writeRow runs one writing statement that returns a row, with write's
// retries, and scans its answer.
func writeRow[T any](ctx context.Context, db Querier, scan func(pgx.Row) (T, error), query string, args ...any) (T, error) {
	var v T
	err := write(ctx, func() (err error) {
		v, err = scan(db.QueryRow(ctx, query, args...))
		return err
	})
	return v, err
}

// A WriteNote tells a request's caller whether the request wrote: every
// write of the core (InTx, Write) that succeeds under a context carrying
// a note marks it. The server reads it after a request to know whose
// answers must include that write (read your own writes).
type WriteNote struct{ wrote atomic.Bool }

type writeNoteKey struct{}

// NoteWrites returns ctx carrying a fresh note, and the note.
func NoteWrites(ctx context.Context) (context.Context, *WriteNote) {
	n := &WriteNote{}
	return context.WithValue(ctx, writeNoteKey{}, n), n
}

// Wrote reports whether a write under the note's context succeeded.
func (n *WriteNote) Wrote() bool { return n != nil && n.wrote.Load() }

// noteWrite marks ctx's note when a write succeeded.
func noteWrite(ctx context.Context, err error) {
	if n, _ := ctx.Value(writeNoteKey{}).(*WriteNote); n != nil && err == nil {
		n.wrote.Store(true)
	}
}

// WALPosition is where PostgreSQL's write-ahead log is being inserted
// now, as a number of bytes (the change stream's LSN): every transaction
// committed before the call ends before it.
func (s *Store) WALPosition(ctx context.Context) (uint64, error) {
	const q = `SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint`
	var lsn int64
	if err := s.db.QueryRow(ctx, q).Scan(&lsn); err != nil {
		return 0, fmt.Errorf("read the WAL position: %w", err)
	}
	return uint64(lsn), nil
}
