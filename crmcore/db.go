package crmcore

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/voronka/voronka/internal/apperr"
)

// OpenPool connects to PostgreSQL and checks the connection.
func OpenPool(ctx context.Context, url string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse postgres url: %w", err)
	}
	if cfg.MaxConns < 16 {
		cfg.MaxConns = 16
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to postgres: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("ping postgres: %w", err)
	}
	return pool, nil
}

// translate maps driver errors to application errors at the store
// boundary: no rows → not found, unique violation → conflict, foreign key
// violation → invalid reference. Other errors pass through (internal).
func translate(err error, what string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return apperr.NotFoundf("%s not found", what)
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

// inTx runs fn in a transaction, committing on success.
func inTx(ctx context.Context, db *pgxpool.Pool, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, db, fn)
}
