package ingest

import (
	"sync"
	"time"
)

// health is the stream's last error: nil while ClickHouse and PostgreSQL
// answer, the latest failure while ingest retries.
type health struct {
	mu    sync.Mutex
	err   error
	since time.Time
}

func (h *health) set(err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if (err == nil) != (h.err == nil) {
		h.since = time.Now()
	}
	h.err = err
}

func (h *health) get() (error, time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.err, h.since
}

// backoff doubles the wait after each failed attempt from Min up to Max.
type backoff struct {
	Min, Max time.Duration
}

func (b backoff) delay(attempt int) time.Duration {
	d := b.Min
	for i := 0; i < attempt && d < b.Max; i++ {
		d *= 2
	}
	if d > b.Max {
		d = b.Max
	}
	return d
}
