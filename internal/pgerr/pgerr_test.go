package pgerr_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/pgerr"
)

func TestTranslateOutages(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	for _, c := range []struct {
		name string
		err  error
		want apperr.Kind
	}{
		{"connection refused", fmt.Errorf("query: %w", refused), apperr.Unavailable},
		{"admin shutdown", &pgconn.PgError{Code: "57P01"}, apperr.Unavailable},
		{"cannot connect now", &pgconn.PgError{Code: "57P03"}, apperr.Unavailable},
		{"connection exception", &pgconn.PgError{Code: "08006"}, apperr.Unavailable},
		{"a closed connection", fmt.Errorf("x: %w", pgconn.ErrConnClosed), apperr.Unavailable},
		{"a syntax error stays internal", &pgconn.PgError{Code: "42601"}, apperr.Internal},
		{"a canceled request is no outage", fmt.Errorf("%w: %w", context.Canceled, refused), apperr.Internal},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := pgerr.Translate(c.err, "thing")
			if k := apperr.KindOf(got); k != c.want {
				t.Fatalf("Translate(%v) = %v (kind %d), want kind %d", c.err, got, k, c.want)
			}
			if c.want == apperr.Unavailable && apperr.As(got).Code != "unavailable" {
				t.Errorf("code %q, want unavailable", apperr.As(got).Code)
			}
		})
	}
}

func TestRetryRunsAgainAfterDeadlockAndSerialization(t *testing.T) {
	calls := 0
	err := pgerr.Retry(context.Background(), func() error {
		calls++
		switch calls {
		case 1:
			return fmt.Errorf("update: %w", &pgconn.PgError{Code: "40P01"})
		case 2:
			return &pgconn.PgError{Code: "40001"}
		}
		return nil
	})
	if err != nil || calls != 3 {
		t.Fatalf("Retry = %v after %d calls, want nil after 3", err, calls)
	}
}

func TestRetryGivesUpAsBusyAndPassesOtherErrors(t *testing.T) {
	calls := 0
	err := pgerr.Retry(context.Background(), func() error { calls++; return &pgconn.PgError{Code: "40P01"} })
	if e := apperr.As(err); e == nil || e.Kind != apperr.Unavailable || calls != pgerr.Attempts {
		t.Fatalf("Retry = %v after %d calls, want 503 after %d", err, calls, pgerr.Attempts)
	}
	calls = 0
	unique := &pgconn.PgError{Code: "23505"}
	if err := pgerr.Retry(context.Background(), func() error { calls++; return unique }); !errors.Is(err, unique) || calls != 1 {
		t.Fatalf("Retry of a unique violation = %v after %d calls, want it once", err, calls)
	}
}
