package ingest

import (
	"strings"
	"testing"
	"time"
)

// TestStalledBatchIsUnhealthy: a batch the writer has held longer than
// InsertTimeout makes the stream unhealthy, with the reason, even before
// an attempt fails; an acknowledgement ends it.
func TestStalledBatchIsUnhealthy(t *testing.T) {
	s, err := New(Config{PGURL: "postgres://x@127.0.0.1:1/x", InsertTimeout: 10 * time.Second}, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)
	s.metrics = newMetrics(func() time.Time { return now })
	s.metrics.writing(now.Add(-time.Second))
	now = now.Add(10 * time.Second)
	if err := s.Healthy(); err != nil {
		t.Fatalf("healthy after exactly the timeout: %v", err)
	}
	now = now.Add(2 * time.Second)
	err = s.Healthy()
	if err == nil || !strings.Contains(err.Error(), "has not accepted a batch for 12s") {
		t.Fatalf("Healthy() = %v, want the stall", err)
	}
	if st := s.Status(); st.Healthy || !strings.Contains(st.Error, "insert timeout 10s") {
		t.Fatalf("status %+v, want unhealthy naming the timeout", st)
	}
	s.metrics.acked(&batch{}, 0)
	if err := s.Healthy(); err != nil {
		t.Fatalf("healthy after the acknowledgement: %v", err)
	}
	s.metrics.writing(now)
	now = now.Add(time.Minute)
	s.metrics.writerStopped()
	if err := s.Healthy(); err != nil {
		t.Fatalf("a stopped writer's batch still counted: %v", err)
	}
}
