package crmcore

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Store is the CRM's repository over one PostgreSQL pool. Its methods are
// spread over one file per aggregate (deal_store.go, lead_store.go, …).
// Every method that touches deals or leads takes the acting Principal and
// enforces the access rules itself.
type Store struct {
	db    *pgxpool.Pool
	Now   func() time.Time // injected clock; time.Now by default
	pipes pipelineCache
}

// NewStore wraps a pool.
func NewStore(db *pgxpool.Pool) *Store {
	return &Store{db: db, Now: time.Now}
}

// DB exposes the pool for health checks, tools and the core's
// subpackages (intake begins its transactions on it).
func (s *Store) DB() *pgxpool.Pool { return s.db }

// Ping checks that PostgreSQL answers.
func (s *Store) Ping(ctx context.Context) error { return s.db.Ping(ctx) }
