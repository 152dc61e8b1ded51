// Package crmcore is the CRM domain on PostgreSQL: pipelines with stages
// and allowed transitions, leads, deals and their stage history, companies,
// contacts, activities, products, invoices, payments, users, roles and the
// access rules that decide what a principal may see, and duplicate
// control. It knows nothing of analytics: the change stream carries its
// rows out. How leads come in (files, web forms, mail) is its subpackage
// intake.
package crmcore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrate applies every pending migration to the database at url with
// goose; it is idempotent. It returns the versions it applied.
func Migrate(ctx context.Context, url string) ([]int64, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse postgres url: %w", err)
	}
	db := stdlib.OpenDB(*cfg)
	defer db.Close()
	return migrateDB(ctx, db)
}

func migrateDB(ctx context.Context, db *sql.DB) ([]int64, error) {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return nil, err
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, sub)
	if err != nil {
		return nil, fmt.Errorf("goose: %w", err)
	}
	res, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate postgres: %w", err)
	}
	applied := make([]int64, 0, len(res))
	for _, r := range res {
		applied = append(applied, r.Source.Version)
	}
	return applied, nil
}

// MigrationsFS exposes the embedded SQL (for fingerprinting test templates).
func MigrationsFS() fs.FS { return migrations }
