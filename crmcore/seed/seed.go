// Package seed fills a Voronka database with realistic, deterministic demo
// CRM data: users with the demo accounts, a product catalogue, companies,
// contacts, leads, deals that walk their pipeline's allowed transitions
// (read from the database, never hard-coded) with their full stage history,
// activities, deal items, invoices and payments.
//
// The same Options (Deals, Seed, Now) on a fresh database always produce
// identical rows. Generation runs in chunks of chunkSize deals with all
// their child rows; each chunk is drawn from its own PCG stream, is
// self-contained (it references only its own rows and the users, products
// and reference tables) and is written with COPY in its own transaction,
// by several writers at once. Identity ids are given explicitly from a
// range reserved up front (see ids.go), so re-running appends a new batch.
//
// Per-chunk transactions rather than one: two writers keep both cores
// busy (one backend alone is the bottleneck), memory stays bounded, and
// a failure after 900,000 deals keeps them; the rows of a chunk are never
// visible half-written. Other writers are held only while ids are reserved
// and given back, not for the whole run.
package seed

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Options says how much to generate and from what.
type Options struct {
	Deals    int       // number of deals; leads ≈ Deals, companies ≈ Deals/5, contacts ≈ Deals/3
	Seed     uint64    // the random seed: same seed, Now and Deals → same rows
	Now      time.Time // the clock: data covers the two years before Now; zero means time.Now()
	Progress io.Writer // where the progress bar goes (usually stderr); nil for none

	// FKTriggers keeps foreign-key triggers firing during the load. By
	// default, when the role may set session_replication_role, chunks are
	// loaded with it set to replica (as pg_restore --disable-triggers does),
	// which is ~5x faster; the tests prove the generated rows satisfy every
	// constraint by loading the same data with triggers on.
	FKTriggers bool
	Writers    int // concurrent chunk writers; 0 means 2

	chunkSize int // deals per chunk; 0 means defaultChunk (tests make it small)
}

const defaultChunk = 5000

// Stats counts the rows this run inserted, per table.
type Stats struct {
	Users, Products, Companies, Contacts, Leads, LeadStatusChanges int64
	Deals, StageChanges, DealObservers, Activities, DealItems      int64
	Invoices, Payments                                             int64
	Contracts, Orders, Acts                                        int64 // the documents of the billed deals
	Elapsed                                                        time.Duration
	FastLoad                                                       bool // foreign-key triggers were bypassed
}

// TableCount is one table and how many rows a run inserted into it.
type TableCount struct {
	Table string
	Rows  int64
}

// Tables lists the counts in a fixed order, named by table.
func (s Stats) Tables() []TableCount {
	return []TableCount{
		{"users", s.Users}, {"products", s.Products}, {"companies", s.Companies},
		{"contacts", s.Contacts}, {"leads", s.Leads}, {"lead_status_changes", s.LeadStatusChanges},
		{"deals", s.Deals}, {"stage_changes", s.StageChanges}, {"deal_observers", s.DealObservers},
		{"activities", s.Activities}, {"deal_items", s.DealItems}, {"invoices", s.Invoices},
		{"payments", s.Payments}, {"contracts", s.Contracts}, {"orders", s.Orders}, {"acts", s.Acts},
	}
}

// Rows is the total number of rows inserted.
func (s Stats) Rows() int64 {
	var n int64
	for _, t := range s.Tables() {
		n += t.Rows
	}
	return n
}

// DealsPerSecond is the throughput of the run.
func (s Stats) DealsPerSecond() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Deals) / s.Elapsed.Seconds()
}

// Run seeds the database behind pool. Seeders are serialised by an
// advisory lock. On error the chunks already committed stay (a re-run
// appends after them) and Stats counts them.
func Run(ctx context.Context, pool *pgxpool.Pool, opts Options) (Stats, error) {
	start := time.Now()
	if opts.Deals < 0 {
		return Stats{}, errors.New("seed: deals must not be negative")
	}
	opts = opts.withDefaults()
	if pool.Config().MaxConns < 2 {
		return Stats{}, errors.New("seed: the pool needs at least 2 connections")
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return Stats{}, fmt.Errorf("seed: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", advisoryKey); err != nil {
		return Stats{}, fmt.Errorf("seed: advisory lock: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", advisoryKey)
	st, err := runLocked(ctx, pool, opts)
	st.Elapsed = time.Since(start)
	return st, err
}

// advisoryKey serialises seeders (an arbitrary constant: "seed").
const advisoryKey int64 = 0x5eed

func (o Options) withDefaults() Options {
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	o.Now = o.Now.Truncate(time.Second).In(msk)
	if o.Writers <= 0 {
		o.Writers = 2
	}
	if o.chunkSize <= 0 {
		o.chunkSize = defaultChunk
	}
	return o
}
