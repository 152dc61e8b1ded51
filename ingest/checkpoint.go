package ingest

import (
	"context"
	"fmt"
	"time"

	"github.com/voronka/voronka/ingest/internal/logrepl"
	"github.com/voronka/voronka/olap"
)

// The initial-load checkpoint lives in ClickHouse, beside the data it
// vouches for: one row per slot saying which PostgreSQL cluster and
// database the mirror was loaded from, at which LSN, and whether the load
// finished. If the ClickHouse database is wiped the checkpoint goes with
// it, and the next start loads again. (The streaming position itself is
// the slot's confirmed_flush_lsn in PostgreSQL, advanced only after
// ClickHouse acknowledged everything before it.)
const stateTable = "ingest_state"

// loadState is the checkpoint of one slot's initial load.
type loadState struct {
	SystemID string      // IDENTIFY_SYSTEM systemid of the source cluster
	Database string      // source database
	LSN      logrepl.LSN // the slot's consistent point: version of copied rows
	Done     bool        // every table copied
}

func ensureStateTable(ctx context.Context, ch *olap.DB) error {
	q := `CREATE TABLE IF NOT EXISTS ` + ch.Table(stateTable) + ` (
    slot          String,
    system_id     String,
    pg_database   String,
    snapshot_lsn  UInt64,
    snapshot_done UInt8,
    updated_at    DateTime,
    _version      UInt64
) ENGINE = ReplacingMergeTree(_version) ORDER BY slot`
	if err := ch.DDL(ctx, olap.SQL(q)); err != nil {
		return fmt.Errorf("create clickhouse %s: %w", stateTable, err)
	}
	return nil
}

// readState returns the slot's checkpoint; ok is false when there is none.
func readState(ctx context.Context, ch *olap.DB, slot string) (st loadState, ok bool, err error) {
	q := `SELECT
    system_id,
    pg_database,
    snapshot_lsn,
    snapshot_done
FROM ` + ch.Table(stateTable) + `
WHERE slot = ?
ORDER BY _version DESC
LIMIT 1`
	rows, err := ch.Query(ctx, olap.SQL(q, slot))
	if err != nil {
		return st, false, fmt.Errorf("read %s: %w", stateTable, err)
	}
	defer rows.Close()
	if !rows.Next() {
		return st, false, rows.Err()
	}
	var lsn uint64
	var done uint8
	if err := rows.Scan(&st.SystemID, &st.Database, &lsn, &done); err != nil {
		return st, false, fmt.Errorf("read %s: %w", stateTable, err)
	}
	st.LSN, st.Done = logrepl.LSN(lsn), done == 1
	return st, true, nil
}

func writeState(ctx context.Context, ch *olap.DB, slot string, st loadState) error {
	now := time.Now().UTC()
	row := []any{slot, st.SystemID, st.Database, uint64(st.LSN), boolByte(st.Done), now, uint64(now.UnixNano())}
	cols := []string{"slot", "system_id", "pg_database", "snapshot_lsn", "snapshot_done", "updated_at", "_version"}
	return ch.Insert(ctx, stateTable, cols, [][]any{row})
}

func boolByte(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}
