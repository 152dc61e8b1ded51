package ingest

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// watchWAL reads the slot's retained WAL every WALInterval until ctx
// ends, reconnecting after errors (which it leaves to the stream to
// report).
func (s *Streamer) watchWAL(ctx context.Context) {
	var conn *pgx.Conn
	defer func() {
		if conn != nil {
			conn.Close(context.Background())
		}
	}()
	t := time.NewTicker(s.cfg.WALInterval)
	defer t.Stop()
	for {
		if conn == nil {
			conn, _ = connectPG(ctx, s.cfg.PGURL)
		}
		if conn != nil {
			n, err := retainedWAL(ctx, conn, s.cfg.Slot)
			if err != nil {
				conn.Close(context.Background())
				conn = nil
			} else {
				s.metrics.setWAL(n)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
