package bench

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/voronka/voronka/crmcore/rates"
	"github.com/voronka/voronka/crmcore/seed"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/ingest"
	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/olap"
)

// BenchmarkRates measures, on VORONKA_BENCH_RATE_DEALS seeded deals
// (default 20,000) streamed into ClickHouse:
//
//  1. refresh: one USD rate put for a past date (through rates.Store,
//     as PUT /currency-rates does), until deal_facts' sum of roubles
//     equals PostgreSQL's own conversion (the change streamed, every
//     deal's facts recomputed) — five times, the median and the worst;
//     and RefreshDealFacts of every deal alone;
//  2. import: a year of the bank's dynamic USD file (a record per
//     working day, Windows-1251) parsed and imported, then again
//     (everything unchanged).
//
// Run it with
//
//	go test ./bench -run XXX -bench Rates -benchtime 1x -timeout 30m
func BenchmarkRates(b *testing.B) {
	ctx := context.Background()
	pg := testenv.NewPG(b)
	if _, err := seed.Run(ctx, pg.Pool, seed.Options{Deals: envInt("VORONKA_BENCH_RATE_DEALS", 20_000), Seed: 7, Now: benchNow}); err != nil {
		b.Fatalf("seed: %v", err)
	}
	ch := testenv.NewCH(b)
	s, err := ingest.New(ingest.Config{PGURL: pg.URL, Slot: pg.Name, Logger: quietLog()}, ch.DB)
	if err != nil {
		b.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); s.Run(runCtx) }()
	b.Cleanup(func() { cancel(); <-done; ingest.DropSlot(context.Background(), pg.URL, pg.Name) })
	waitStream(b, s, 30*time.Minute, "initial load", func(st ingest.Status) bool { return st.SnapshotDone })
	store := rates.Store{DB: pg.Pool}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var took []time.Duration
		for k := 0; k < 5; k++ {
			v := rates.NewValue(fmt.Sprintf("%d.%04d", 80+k, 1234+k))
			start := time.Now()
			if _, err := store.Put(ctx, domain.Principal{Role: domain.RoleAdmin}, rates.Put{Currency: "USD", Rate: &v, ValidFrom: "2025-02-03"}); err != nil {
				b.Fatal(err)
			}
			want := pgRubSum(b, pg)
			for chRubSum(b, ch) != want {
				if time.Since(start) > 5*time.Minute {
					b.Fatalf("deal_facts did not follow the rate after 5 min")
				}
				time.Sleep(10 * time.Millisecond)
			}
			took = append(took, time.Since(start))
		}
		sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
		b.ReportMetric(float64(took[2].Milliseconds()), "refresh_median_ms")
		b.ReportMetric(float64(took[4].Milliseconds()), "refresh_max_ms")
		start := time.Now()
		if err := ch.DB.RefreshDealFacts(ctx, nil); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(time.Since(start).Milliseconds()), "refresh_all_ms")
		benchImportYear(b, store)
	}
}

// pgRubSum is every live deal's amount in roubles as PostgreSQL converts
// it: the rate valid on the Moscow creation date, half up to the kopeck.
func pgRubSum(b *testing.B, pg *testenv.PG) string {
	var s string
	err := pg.Pool.QueryRow(context.Background(), `SELECT sum(round(d.amount * coalesce((SELECT r.rate FROM currency_rates r WHERE r.code = d.currency
        AND r.valid_from <= (d.created_at AT TIME ZONE 'Europe/Moscow')::date ORDER BY r.valid_from DESC LIMIT 1), 0), 2))::text FROM deals d`).Scan(&s)
	if err != nil {
		b.Fatal(err)
	}
	return strings.TrimRight(strings.TrimRight(s, "0"), ".")
}

func chRubSum(b *testing.B, ch *testenv.CH) string {
	var s string
	q := `SELECT toString(sum(rub)) FROM ` + ch.DB.Table("deal_facts") + ` FINAL WHERE _deleted = 0`
	if err := ch.DB.QueryRow(context.Background(), olap.SQL(q)).Scan(&s); err != nil {
		b.Fatal(err)
	}
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// benchImportYear imports a year of the bank's dynamic file twice.
func benchImportYear(b *testing.B, store rates.Store) {
	var text strings.Builder
	text.WriteString(`<?xml version="1.0" encoding="windows-1251"?>` + "\r\n" +
		`<ValCurs ID="R01235" DateRange1="01.01.2024" DateRange2="31.12.2024" name="Foreign Currency Market Dynamic">` + "\r\n")
	n := 0
	for d := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == 2024; d = d.AddDate(0, 0, 1) {
		if d.Weekday() == time.Sunday || d.Weekday() == time.Monday {
			continue
		}
		fmt.Fprintf(&text, `<Record Date="%s" Id="R01235"><Nominal>1</Nominal><Value>%d,%04d</Value></Record>`+"\r\n", d.Format("02.01.2006"), 85+n%10, n)
		n++
	}
	text.WriteString("</ValCurs>\r\n")
	data, _ := charmap.Windows1251.NewEncoder().Bytes([]byte(text.String()))
	for _, phase := range []string{"import_year_ms", "reimport_year_ms"} {
		start := time.Now()
		f, err := rates.Parse(data, "")
		if err != nil {
			b.Fatal(err)
		}
		sum, err := store.Import(context.Background(), f)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(time.Since(start).Milliseconds()), phase)
		b.Logf("%s: %d records, %+v", phase, n, sum)
	}
}
