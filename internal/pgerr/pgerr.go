// Package pgerr translates PostgreSQL driver errors into application
// errors at the store boundary (one translation for every store: the CRM
// core, saved reports, schedules): no rows is a 404 naming what was
// sought, a server that is down or restarting a 503 unavailable, a unique
// violation a conflict, a foreign key or check violation a 422 naming the
// field when the constraint says which. Anything else is wrapped with what
// was being done and stays internal. Retry runs a write again after a
// serialization failure or a deadlock.
package pgerr

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/voronka/voronka/internal/apperr"
)

// Translate maps PostgreSQL driver errors to application errors at the store
// boundary: no rows → not found, a server out of reach → ErrUnavailable
// (503), unique violation → conflict, foreign key violation → invalid
// reference, text PostgreSQL cannot store → invalid_encoding. An
// application error passes as it is; other errors are wrapped (internal)
// — a serialization failure or a deadlock too, so that Retry around the
// transaction still sees it.
func Translate(err error, what string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return apperr.NotFoundf("%s not found", what)
	}
	if apperr.As(err) != nil {
		return err // translated already (e.g. ErrBusy from Retry)
	}
	if Unavailable(err) {
		return fmt.Errorf("%s: %w: %w", what, ErrUnavailable, err) // a 503 that keeps its cause for the log
	}

	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case "23505":
			return &apperr.Error{Kind: apperr.Conflict, Code: "already_exists",
				Message: what + " already exists", Field: constraintField(pg)}
		case "23503":
			return &apperr.Error{Kind: apperr.Invalid, Code: "unknown_reference",
				Message: "a referenced record does not exist", Field: constraintField(pg)}
		case "23514":
			return &apperr.Error{Kind: apperr.Invalid, Code: "invalid_value",
				Message: "a value is out of range", Field: constraintField(pg)}
		case "22021", "22P05":
			return &apperr.Error{Kind: apperr.Invalid, Code: "invalid_encoding", Message: "text is not valid UTF-8"}
		}
	}
	return fmt.Errorf("%s: %w", what, err)
}

// constraintField guesses the field from a constraint name like
// deals_currency_fkey → currency.
func constraintField(pg *pgconn.PgError) string {
	if pg.ColumnName != "" {
		return pg.ColumnName
	}
	name := pg.ConstraintName
	if name == "" {
		return ""
	}
	t := pg.TableName
	if len(name) > len(t)+1 && name[:len(t)+1] == t+"_" {
		name = name[len(t)+1:]
	}
	for _, suf := range []string{"_fkey", "_key", "_check"} {
		if len(name) > len(suf) && name[len(name)-len(suf):] == suf {
			return name[:len(name)-len(suf)]
		}
	}
	return name
}
