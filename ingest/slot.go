package ingest

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/ingest/internal/logrepl"
)

// slotInfo is a row of pg_replication_slots.
type slotInfo struct {
	Exists         bool
	Database       string
	Active         bool
	Lost           bool // invalidated (max_slot_wal_keep_size): unusable
	ConfirmedFlush logrepl.LSN
}

func lookupSlot(ctx context.Context, url, slot string) (slotInfo, error) {
	const q = `
SELECT coalesce(database, ''),
       active,
       coalesce(wal_status = 'lost', false),
       coalesce(confirmed_flush_lsn::text, '0/0')
FROM pg_replication_slots
WHERE slot_name = $1`
	conn, err := connectPG(ctx, url)
	if err != nil {
		return slotInfo{}, err
	}
	defer conn.Close(context.Background())
	var si slotInfo
	var lsn string
	err = conn.QueryRow(ctx, q, slot).Scan(&si.Database, &si.Active, &si.Lost, &lsn)
	if errors.Is(err, pgx.ErrNoRows) {
		return slotInfo{}, nil
	}
	if err != nil {
		return slotInfo{}, fmt.Errorf("look up slot %s: %w", slot, err)
	}
	si.Exists = true
	si.ConfirmedFlush, err = logrepl.ParseLSN(lsn)
	return si, err
}

// DropSlot drops the replication slot if it exists, so it stops retaining
// WAL. It fails while a stream is connected to it. Use it when a mirror
// is retired (`voronka ingest drop-slot`) and in tests' cleanup.
func DropSlot(ctx context.Context, pgURL, slot string) error {
	const q = `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1`
	conn, err := connectPG(ctx, pgURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, q, slot); err != nil {
		return fmt.Errorf("drop slot %s: %w", slot, err)
	}
	return nil
}

// retainedWAL is how far the slot's confirmed position trails the
// server's current WAL position, in bytes (0 when the slot is missing).
func retainedWAL(ctx context.Context, conn *pgx.Conn, slot string) (int64, error) {
	const q = `
SELECT coalesce((pg_current_wal_lsn() - confirmed_flush_lsn)::bigint, 0)
FROM pg_replication_slots
WHERE slot_name = $1`
	var n int64
	err := conn.QueryRow(ctx, q, slot).Scan(&n)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	return n, err
}
