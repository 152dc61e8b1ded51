package ingest

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/ingest/internal/logrepl"
)

// maxWait bounds one wait for a server message, so acknowledgements from
// the writer reach the server promptly even when the stream is quiet.
const maxWait = 250 * time.Millisecond

// streamer is the state of one START_REPLICATION session. The loop in
// run owns the connection (it alone reads and writes it); the writer
// goroutine owns ClickHouse and reports progress through acked.
type streamer struct {
	s         *Streamer
	repl      *replConn
	relations map[uint32]*table
	txn       txnBuilder
	cur       *batch
	batches   chan *batch // to the writer; unbuffered: a send means it is free
	acked     atomic.Uint64
	handedOff logrepl.LSN // end LSN of the last batch given to the writer
	idle      logrepl.LSN // server WAL end seen while nothing was pending
	sent      logrepl.LSN // last position confirmed to the server
	nextTick  time.Time   // next unconditional status update
	lastAsk   time.Time   // last status update that asked for a keepalive
	idleReach chan reach  // to the writer: the latest reach of an idle stream
	mark      reach       // the server's clock, then its WAL position (reach.go)
	markConn  *pgx.Conn   // markWAL's connection
}

// stream decodes the replication stream into batches and confirms what
// ClickHouse acknowledged, until an error or ctx ends.
func (s *Streamer) stream(ctx context.Context, repl *replConn, start logrepl.LSN) error {
	st := &streamer{s: s, repl: repl, relations: map[uint32]*table{}, cur: newBatch(),
		batches: make(chan *batch), handedOff: start, idle: start, sent: start, idleReach: make(chan reach, 1)}
	st.acked.Store(uint64(start))
	wctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); st.writeLoop(wctx) }()
	err := st.run(ctx)
	cancel()
	wg.Wait()
	st.closeMark()
	if ctx.Err() != nil { // stopping: confirm what was written, best effort
		_ = st.confirm(context.Background(), time.Now(), true)
	}
	return err
}

// writeLoop writes batches in order; a batch is acknowledged only after
// ClickHouse accepted all of it. It ends when ctx does (a session that
// stops leaves its unwritten batches to be streamed again).
func (st *streamer) writeLoop(ctx context.Context) {
	w := st.s.newWriter(false, &st.s.health)
	defer w.close()
	defer st.s.metrics.writerStopped()
	poll := time.NewTicker(st.s.cfg.SchemaInterval)
	defer poll.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-poll.C:
			// best effort: the next tick tries again
			if err := w.bounded(ctx, w.pollSchema); err != nil && ctx.Err() == nil {
				st.s.log.Warn("ingest: comparing columns failed", "err", err)
			}
		case b := <-st.batches:
			if len(b.commits) > 0 {
				st.s.metrics.writing(b.commits[0])
			}
			if err := w.write(ctx, b); err != nil {
				return
			}
			st.acked.Store(uint64(b.endLSN))
			st.s.metrics.acked(b, len(b.live()))
		case r := <-st.idleReach:
			// best effort: the next keepalive brings another
			if w.bounded(ctx, func(ctx context.Context) error { return w.recordIdle(ctx, r) }) == nil {
				st.s.metrics.covered(r.at)
			}
		}
	}
}

func (st *streamer) run(ctx context.Context) error {
	for {
		now := time.Now()
		if err := st.flush(ctx, now); err != nil {
			return err
		}
		if err := st.confirm(ctx, now, false); err != nil {
			return err
		}
		data, err := st.repl.receive(ctx, st.wake(now))
		if errors.Is(err, errIdle) {
			continue
		}
		if err != nil {
			return err
		}
		if err := st.handleCopyData(data); err != nil {
			return err
		}
	}
}

// flushPos is the position safe to confirm: everything ClickHouse
// acknowledged, or the server's WAL end seen while nothing was pending.
func (st *streamer) flushPos() logrepl.LSN { return max(logrepl.LSN(st.acked.Load()), st.idle) }

// confirm sends a standby status update when the safe position moved, when
// the periodic tick is due, or when the server asked (force). An idle
// stream asks for a keepalive every idleReachEvery, so the reach it
// records keeps up with the clock (reach.go).
func (st *streamer) confirm(ctx context.Context, now time.Time, force bool) error {
	pos := st.flushPos()
	ask := !st.pending() && now.Sub(st.lastAsk) >= idleReachEvery
	if !force && !ask && pos == st.sent && now.Before(st.nextTick) {
		return nil
	}
	if ask {
		st.markWAL(ctx)
	}
	if err := st.repl.sendStatus(pos, now, ask); err != nil {
		return err
	}
	st.sent, st.nextTick = pos, now.Add(st.s.cfg.StatusInterval)
	if ask {
		st.lastAsk = now
	}
	return nil
}

// reachedIdle hands the writer the reach of an idle stream, replacing one
// it has not taken yet.
func (st *streamer) reachedIdle(r reach) {
	select {
	case <-st.idleReach:
	default:
	}
	st.idleReach <- r
}

// flush hands the current batch to the writer when it is due: at
// BatchRows changes or BatchWait after its first commit. If the writer is
// still busy the batch keeps growing, up to 4×BatchRows, where the stream
// waits for the writer (still sending status updates).
func (st *streamer) flush(ctx context.Context, now time.Time) error {
	b, cfg := st.cur, st.s.cfg
	if st.txn.open || len(b.commits) == 0 {
		return nil
	}
	if b.changes < cfg.BatchRows && now.Sub(b.started) < cfg.BatchWait {
		return nil
	}
	if b.changes < 4*cfg.BatchRows {
		select {
		case st.batches <- b:
			st.handOff()
		default:
		}
		return nil
	}
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case st.batches <- b:
			st.handOff()
			return nil
		case <-ctx.Done():
			return ctx.Err()
		case now := <-tick.C:
			if err := st.confirm(ctx, now, false); err != nil {
				return err
			}
		}
	}
}

func (st *streamer) handOff() {
	st.handedOff = st.cur.endLSN
	st.cur = newBatch()
}

// wake is when the loop must look up from the connection next.
func (st *streamer) wake(now time.Time) time.Time {
	t := now.Add(maxWait)
	if st.nextTick.Before(t) {
		t = st.nextTick
	}
	if len(st.cur.commits) > 0 && !st.txn.open {
		due := st.cur.started.Add(st.s.cfg.BatchWait)
		if !due.After(now) {
			due = now.Add(5 * time.Millisecond) // writer busy: try again soon
		}
		if due.Before(t) {
			t = due
		}
	}
	return t
}

// pending reports whether anything received is not yet acknowledged.
func (st *streamer) pending() bool {
	return st.txn.open || !st.cur.empty() || logrepl.LSN(st.acked.Load()) != st.handedOff
}
