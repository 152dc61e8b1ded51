package ingest

import (
	"context"
	"sort"
	"time"

	"github.com/voronka/voronka/ingest/internal/logrepl"
	"github.com/voronka/voronka/olap"
)

// How far the copy reaches (olap.Watermarks): after each batch ClickHouse
// acknowledged, the tables it changed (and the tables derived from them)
// get its end LSN, and the stream as a whole is covered up to its last
// commit; while idle, a keepalive with nothing pending covers everything
// committed before the server's time. The report engine keeps a cached
// answer exactly as long as the tables it read keep their versions.

// idleReachEvery is how often an idle stream asks the server where it
// stands (a standby status update requesting a reply), so the covered
// instant stays within about this much of the clock while nothing changes.
const idleReachEvery = time.Second

// reach is a position the stream covers: every transaction committed
// before at (the server's clock) is in ClickHouse.
type reach struct {
	lsn logrepl.LSN
	at  time.Time
}

// recordBatch records a written batch: the tables it touched and derived
// tables got its end LSN; the stream is covered up to its last commit.
func (w *writer) recordBatch(ctx context.Context, b *batch, order []*table) error {
	if len(b.commits) == 0 {
		return nil
	}
	seen := map[string]bool{}
	add := func(name string) {
		seen[name] = true
		for _, d := range olap.DerivedFrom(name) {
			seen[d.Table] = true
		}
	}
	for _, t := range order {
		add(t.name())
	}
	for _, tr := range b.truncates {
		add(tr.Table)
	}
	return w.ch.WriteWatermarks(ctx, sortedNames(seen), uint64(b.endLSN), b.commits[len(b.commits)-1])
}

// recordLoad marks the copy of an initial load: every table (and its
// derived ones) at the snapshot's consistent point, covered up to when the
// snapshot was taken. unknown marks a load about to begin: the stream's
// reach is unknown until it is done (answers are not kept on old data).
func (s *Streamer) recordLoad(ctx context.Context, tables []publishedTable, point logrepl.LSN, at time.Time, unknown bool) error {
	if unknown {
		return s.ch.WriteWatermarks(ctx, nil, uint64(point), time.Unix(0, 0))
	}
	seen := map[string]bool{}
	for _, t := range tables {
		seen[t.Name] = true
		for _, d := range olap.DerivedFrom(t.Name) {
			seen[d.Table] = true
		}
	}
	// one above the point: replaces the "unknown" row written at it
	if err := s.ch.WriteWatermarks(ctx, sortedNames(seen), uint64(point)+1, at); err != nil {
		return err
	}
	s.metrics.covered(at)
	return nil
}

// recordIdle records that an idle stream covers everything committed
// before r.at (no table changed).
func (w *writer) recordIdle(ctx context.Context, r reach) error {
	return w.ch.WriteWatermarks(ctx, nil, uint64(r.lsn), r.at)
}

func sortedNames(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// A keepalive's position is the walsender's (how far it has decoded and
// sent), and its time is the server's clock when it was sent: while the
// walsender works through a backlog the two are far apart, and "nothing
// pending at that time" would claim every commit before the clock while
// most of them are still in the WAL. So the instant an idle keepalive
// proves is taken apart: markWAL reads the server's clock and then its
// WAL position; a later keepalive at or past that position, with nothing
// pending, covers every transaction committed before that clock (its
// commit record is before the position, so it was sent and written).

// markWAL takes a new mark on the stream's own query connection
// (connected on first use, dropped on failure: no mark, no claim).
func (st *streamer) markWAL(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if st.markConn == nil {
		conn, err := connectPG(ctx, st.s.cfg.PGURL)
		if err != nil {
			return
		}
		st.markConn = conn
	}
	var at time.Time
	var lsn string
	err := st.markConn.QueryRow(ctx, `SELECT clock_timestamp(), pg_current_wal_insert_lsn()::text`).Scan(&at, &lsn)
	if err == nil {
		var pos logrepl.LSN
		if pos, err = logrepl.ParseLSN(lsn); err == nil {
			st.mark = reach{lsn: pos, at: at}
			return
		}
	}
	st.closeMark()
}

func (st *streamer) closeMark() {
	if st.markConn != nil {
		st.markConn.Close(context.Background())
		st.markConn = nil
	}
}

// idleAt is the instant an idle keepalive at serverEnd proves, if any.
func (st *streamer) idleAt(serverEnd logrepl.LSN) (time.Time, bool) {
	if st.mark.lsn == 0 || serverEnd < st.mark.lsn {
		return time.Time{}, false
	}
	return st.mark.at, true
}
