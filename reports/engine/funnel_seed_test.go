package engine

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/voronka/voronka/crmcore/seed"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/reports"
)

// kxSeedNow is the seeded data's clock: 2025-06-01 00:00 Moscow.
var kxSeedNow = time.Date(2025, 5, 31, 21, 0, 0, 0, time.UTC)

// kxSeedYear is the year before kxSeedNow, in Moscow dates.
var kxSeedYear = reports.Period{From: "2024-06-01", To: "2025-05-31"}

// kxSeeded seeds 2,000 deals into a fresh CRM database (plus a second
// USD rate inside the year, so that the creation date picks the rate),
// copies everything into ClickHouse, and returns the stores with the
// engine clock at kxSeedNow. The stores are the package's, made by the
// first test that asks and shared by the rest (as kxReadOnly's): read
// them only; a test that writes takes kxSeededOwn.
func kxSeeded(t *testing.T) *kxStores {
	t.Helper()
	kxShared.Lock()
	defer kxShared.Unlock()
	const key = "\x00seeded"
	s := kxShared.stores[key]
	if s == nil {
		s = kxSeedStores(packageTB{t})
		kxShared.stores[key] = s
	}
	return &kxStores{pg: s.pg, ch: s.ch, eng: &Engine{CH: s.ch.DB, Now: func() time.Time { return kxSeedNow }}}
}

// kxSeededOwn is kxSeeded's data in stores of the test's own, for a test
// that writes to them.
func kxSeededOwn(t *testing.T) *kxStores {
	t.Helper()
	return kxSeedStores(t)
}

func kxSeedStores(t testing.TB) *kxStores {
	t.Helper()
	pg := testenv.NewPG(t)
	ctx := context.Background()
	if _, err := seed.Run(ctx, pg.Pool, seed.Options{Deals: 2000, Seed: 11, Now: kxSeedNow}); err != nil {
		t.Fatalf("seed: %v", err)
	}
	const rates = `INSERT INTO currency_rates (code, valid_from, rate) VALUES ('USD', '2024-12-01', 101.23456789), ('EUR', '2025-02-15', 0.5)`
	if _, err := pg.Pool.Exec(ctx, rates); err != nil {
		t.Fatal(err)
	}
	ch := testenv.NewCH(t)
	kxCopy(t, pg, ch, nil)
	return &kxStores{pg: pg, ch: ch, eng: &Engine{CH: ch.DB, Now: func() time.Time { return kxSeedNow }}}
}

// kxRestricted copies into a fresh ClickHouse database only the rows
// manager m may see, selected by plain SQL on PostgreSQL written from
// docs/api.md's rules (not from reports/dataset/access.go): deals where responsible or
// observer and their child rows; leads where responsible; activities
// owned or on such a deal or lead. A director's report there must equal
// the manager's report on the full copy.
func kxRestricted(t *testing.T, s *kxStores, m int64) *Engine {
	t.Helper()
	id := strconv.FormatInt(m, 10)
	deals := "(SELECT id FROM deals WHERE responsible_id = " + id + " OR id IN (SELECT deal_id FROM deal_observers WHERE user_id = " + id + "))"
	leads := "(SELECT id FROM leads WHERE responsible_id = " + id + ")"
	where := map[string]string{
		"deals":                 "x.id IN " + deals,
		"deal_observers":        "x.deal_id IN " + deals,
		"stage_changes":         "x.deal_id IN " + deals,
		"deal_forecast_changes": "x.deal_id IN " + deals,
		"deal_items":            "x.deal_id IN " + deals,
		"invoices":              "x.deal_id IN " + deals,
		"payments":              "x.invoice_id IN (SELECT id FROM invoices WHERE deal_id IN " + deals + ")",
		"orders":                "x.deal_id IN " + deals,
		"acts":                  "x.order_id IN (SELECT id FROM orders WHERE deal_id IN " + deals + ")",
		"leads":                 "x.id IN " + leads,
		"lead_status_changes":   "x.lead_id IN " + leads,
		"activities":            "x.owner_id = " + id + " OR x.deal_id IN " + deals + " OR x.lead_id IN " + leads,
	}
	ch := testenv.NewCH(t)
	kxCopy(t, s.pg, ch, where)
	return &Engine{CH: ch.DB, Now: s.eng.Now}
}

// kxBusyManager is the seeded manager observing the most deals (so the
// observer rule is exercised), with their principal.
func kxBusyManager(t *testing.T, s *kxStores) domain.Principal {
	t.Helper()
	const q = `
SELECT u.id FROM users u
WHERE u.role = 'manager'
ORDER BY (SELECT count(*) FROM deal_observers o WHERE o.user_id = u.id) DESC,
         (SELECT count(*) FROM deals d WHERE d.responsible_id = u.id) DESC, u.id
LIMIT 1`
	var id int64
	if err := s.pg.Pool.QueryRow(context.Background(), q).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return domain.Principal{UserID: id, Role: domain.RoleManager}
}
