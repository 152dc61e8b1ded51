package seed

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ref is everything generation reads from the database before it starts:
// users, products, pipelines, sources and currency rates. It is not
// changed afterwards, so every chunk may read it.
type ref struct {
	users                  users
	products               []product
	sales, interest, leads *pipeline
	sources                []string // codes, sorted
	leadPrefix             []string // per source
	sourceW, managerW      weights
	currencies             []currency
	currencyW              weights
}

type currency struct {
	Code string
	Rate float64 // roubles per unit
}

// currencyMix is the share of deals per currency (when the currency exists).
var currencyMix = []struct {
	code   string
	weight int
}{{"RUB", 85}, {"USD", 7}, {"EUR", 5}, {"CNY", 3}}

// loadRef ensures the users and products and reads the reference data.
func loadRef(ctx context.Context, pool *pgxpool.Pool, now time.Time, seed uint64, st *Stats) (*ref, error) {
	var (
		rf  ref
		err error
	)
	if rf.users, st.Users, err = ensureUsers(ctx, pool, now); err != nil {
		return nil, err
	}
	if rf.products, st.Products, err = ensureProducts(ctx, pool, now); err != nil {
		return nil, err
	}
	ps, err := loadPipelines(ctx, pool, "sales", "interest", "leads")
	if err != nil {
		return nil, err
	}
	rf.sales, rf.interest, rf.leads = ps[0], ps[1], ps[2]
	if rf.leads.stageOfKind("won") < 0 {
		return nil, fmt.Errorf("seed: pipeline leads has no won (converted) stage")
	}
	if err := rf.loadSources(ctx, pool); err != nil {
		return nil, err
	}
	if err := rf.loadCurrencies(ctx, pool, now); err != nil {
		return nil, err
	}
	r := rand.New(rand.NewPCG(seed, 0))
	mw := make([]int, len(rf.users.managers))
	for i := range mw {
		mw[i] = 50 + r.IntN(101) // some managers sell three times more than others
	}
	rf.managerW = newWeights(mw...)
	return &rf, nil
}

func (rf *ref) loadSources(ctx context.Context, pool *pgxpool.Pool) error {
	rows, err := pool.Query(ctx, `SELECT code FROM sources ORDER BY code`)
	if err != nil {
		return fmt.Errorf("seed: sources: %w", err)
	}
	var codes []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return fmt.Errorf("seed: sources: %w", err)
		}
		codes = append(codes, c)
	}
	if err := rows.Err(); err != nil || len(codes) == 0 {
		return fmt.Errorf("seed: sources: none found (%v)", err)
	}
	w := make([]int, len(codes))
	rf.leadPrefix = make([]string, len(codes))
	for i, c := range codes {
		w[i], rf.leadPrefix[i] = 2, "Обращение"
		if x, ok := sourceWeights[c]; ok {
			w[i] = x
		}
		if p, ok := leadPrefixes[c]; ok {
			rf.leadPrefix[i] = p
		}
	}
	rf.sources, rf.sourceW = codes, newWeights(w...)
	return nil
}

func (rf *ref) loadCurrencies(ctx context.Context, pool *pgxpool.Pool, now time.Time) error {
	const q = `
SELECT rate::float8
FROM currency_rates
WHERE code = $1 AND valid_from <= $2
ORDER BY valid_from DESC
LIMIT 1`
	var w []int
	for _, m := range currencyMix {
		var rate float64
		err := pool.QueryRow(ctx, q, m.code, now).Scan(&rate)
		if errors.Is(err, pgx.ErrNoRows) {
			continue // currency or rate absent: not used
		}
		if err != nil {
			return fmt.Errorf("seed: rate of %s: %w", m.code, err)
		}
		rf.currencies = append(rf.currencies, currency{m.code, rate})
		w = append(w, m.weight)
	}
	if len(rf.currencies) == 0 || rf.currencies[0].Code != "RUB" {
		return fmt.Errorf("seed: currency RUB with a rate is required")
	}
	rf.currencyW = newWeights(w...)
	return nil
}

// weights is a cumulative weight table for weighted choice.
type weights []int

func newWeights(w ...int) weights {
	c := make(weights, len(w))
	sum := 0
	for i, x := range w {
		sum += x
		c[i] = sum
	}
	return c
}

// pick returns an index with probability proportional to its weight.
func (w weights) pick(r *rand.Rand) int {
	i, _ := slices.BinarySearch(w, r.IntN(w[len(w)-1])+1)
	return i
}
