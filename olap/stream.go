package olap

import (
	"context"

	"github.com/ClickHouse/clickhouse-go/v2"
)

// StreamContext makes the queries run with ctx arrive in blocks of about
// blockRows rows, one decoded ahead: a long result (an export) is then
// read with a few blocks in memory. ClickHouse 18.16 sends a GROUP BY
// result as one block (a million rows: 240 MB decoded) unless the
// aggregation may go external; a non-zero
// max_bytes_before_external_group_by (10 GB: it does not spill) makes it
// two-level, and the ORDER BY then merges it out in max_block_size
// blocks. Current releases accept both settings.
func StreamContext(ctx context.Context, blockRows int) context.Context {
	return clickhouse.Context(ctx, clickhouse.WithSettings(clickhouse.Settings{
		"max_block_size":                     blockRows,
		"max_bytes_before_external_group_by": 10 << 30,
	}), clickhouse.WithBlockBufferSize(1))
}
