package pgerr

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// Attempts is how many times Retry runs a write that meets a
// serialization failure or a deadlock.
const Attempts = 5

// Retryable reports whether PostgreSQL refused err's transaction only
// because of concurrent ones: a serialization failure (40001) or a
// deadlock (40P01). The transaction was rolled back whole, so running it
// again from the start is safe.
func Retryable(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && (pg.Code == "40001" || pg.Code == "40P01")
}

// Retry runs fn — one whole transaction, or one statement outside any —
// again while it fails with a serialization failure or a deadlock, up
// to Attempts times, waiting a little longer (with jitter, so two
// deadlocked writers do not meet again) before each new attempt. fn
// must start from scratch each time: it may not keep what a failed
// attempt did. When every attempt failed so, the answer is ErrBusy (a
// 503); any other error is fn's, as it was.
func Retry(ctx context.Context, fn func() error) error {
	wait := 10 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := fn()
		if !Retryable(err) {
			return err
		}
		if attempt == Attempts {
			return ErrBusy
		}
		t := time.NewTimer(wait/2 + rand.N(wait))
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		wait *= 2
	}
}
