package pgerr

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/voronka/voronka/internal/apperr"
)

// ErrUnavailable is the 503 of a PostgreSQL that cannot be reached or
// is going away (restarting, shutting down, not yet accepting
// connections): nothing was changed, and the same call may succeed in a
// few seconds. The HTTP layer adds Retry-After.
var ErrUnavailable = &apperr.Error{Kind: apperr.Unavailable, Code: "unavailable",
	Message: "the database is unavailable; nothing was changed, retry in a few seconds"}

// ErrBusy is the 503 of a write that kept meeting concurrent writes
// (serialization failures or deadlocks) through every retry.
var ErrBusy = &apperr.Error{Kind: apperr.Unavailable, Code: "unavailable",
	Message: "the database is busy with conflicting changes; nothing was changed, retry in a few seconds"}

// Unavailable reports whether err says PostgreSQL is out of reach: a
// connection that could not be made (refused, reset, timed out, server
// not accepting connections yet, 57P03), one the server ended
// (administrator or crash shutdown, 57P01, 57P02), a connection
// exception (class 08), or a socket that closed mid-answer.
func Unavailable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false // no answer, or the caller gave up: not the server's state
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "57P01" || pg.Code == "57P02" || pg.Code == "57P03" || strings.HasPrefix(pg.Code, "08")
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	switch {
	case errors.As(err, &ce), errors.As(err, &ne):
		return true
	case errors.Is(err, pgconn.ErrConnClosed), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return true
	case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return true
	}
	return strings.Contains(err.Error(), "closed pool")
}

// Outage is the 503 a foreign error stands for, or nil: ErrUnavailable
// when PostgreSQL is out of reach, ErrBusy for a serialization failure
// or a deadlock no Retry absorbed. The HTTP error writer asks it of an
// error no store translated, so an outage is never a 500.
func Outage(err error) error {
	switch {
	case Unavailable(err):
		return ErrUnavailable
	case Retryable(err):
		return ErrBusy
	}
	return nil
}
