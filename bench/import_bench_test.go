// Import benchmark: 100,000 CSV rows (Windows-1251, ';', CRLF, as Excel
// writes them) imported as leads with duplicate checking against a
// seeded base of ~100,000 leads, ~33,000 contacts and ~20,000 companies.

package bench

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/crmcore/intake"
	"github.com/voronka/voronka/crmcore/seed"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/testenv"
)

// Shares of the benchmark file: 15% rows repeat a seeded lead's phone
// (written differently), 5% repeat an earlier row of the file, the rest
// are new.
const (
	importRows     = 100_000
	importExisting = 15_000
	importInFile   = 5_000
)

// BenchmarkImportLeads100k imports the file for real (one transaction).
func BenchmarkImportLeads100k(b *testing.B) { benchImport(b, false) }

// BenchmarkImportLeads100kDryRun checks and reports every row, writes none.
func BenchmarkImportLeads100kDryRun(b *testing.B) { benchImport(b, true) }

func benchImport(b *testing.B, dry bool) {
	var elapsed time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		pg := testenv.NewPG(b)
		ctx := context.Background()
		if _, err := seed.Run(ctx, pg.Pool, seed.Options{Deals: 100_000, Seed: 1, Now: benchNow}); err != nil {
			b.Fatal(err)
		}
		s := crmcore.NewStore(pg.Pool)
		p := benchDirector(b, s)
		data := importFile(b, pg)
		b.StartTimer()
		start := time.Now()
		res, err := intake.Run(ctx, s, p, data, intake.Request{Options: intake.Options{Kind: "leads"},
			Import: intake.ImportOptions{DryRun: dry}})
		elapsed += time.Since(start)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		r := res.Report
		if want := importRows - importExisting - importInFile; r.Created != want || r.Skipped != importExisting+importInFile {
			b.Fatalf("created %d skipped %d, want %d and %d", r.Created, r.Skipped, want, importExisting+importInFile)
		}
	}
	b.ReportMetric(float64(importRows*b.N)/elapsed.Seconds(), "rows/s")
}

func benchDirector(b *testing.B, s *crmcore.Store) domain.Principal {
	u, err := s.CreateUser(context.Background(), crmcore.NewUser{Email: "bench-director@x.ru", Name: "Бенч", Role: "director", Password: "secret"})
	if err != nil {
		b.Fatal(err)
	}
	return domain.Principal{UserID: u.ID, Name: u.Name, Role: u.Role}
}

// importFile builds the CSV: seeded phones are rewritten from
// "+7 (9AA) NNN-NN-NN" to "8 9AANNNNNNN" so only normalisation matches them.
func importFile(b *testing.B, pg *testenv.PG) []byte {
	rows, err := pg.Pool.Query(context.Background(), `SELECT contact_phone FROM leads
WHERE contact_phone IS NOT NULL AND voronka_phone_key(contact_phone) IS NOT NULL
GROUP BY contact_phone ORDER BY min(id) LIMIT $1`, importExisting)
	if err != nil {
		b.Fatal(err)
	}
	var existing []string
	for rows.Next() {
		var ph string
		rows.Scan(&ph)
		existing = append(existing, "8 "+crmcore.PhoneKey(ph)[1:])
	}
	if len(existing) != importExisting {
		b.Fatalf("only %d seeded phones", len(existing))
	}
	var sb strings.Builder
	sb.WriteString("Название;ФИО;Телефон;E-mail;Компания\r\n")
	fresh := 0
	for i := 0; i < importRows; i++ {
		switch {
		case i%20 < 3: // 15%: a seeded lead's phone
			fmt.Fprintf(&sb, "Повтор %d;Повторов%d Иван;%s;;\r\n", i, i, existing[i/20*3+i%20])
		case i%20 == 19: // 5%: an earlier new row's phone
			fmt.Fprintf(&sb, "Дубль %d;Дублев%d Пётр;+7 (800) %07d;;\r\n", i, i, fresh-1)
		default:
			fmt.Fprintf(&sb, "Заявка %d;Новиков%d Олег;+7 (800) %07d;n%d@bench.ru;\"ООО \"\"Бенч-%d\"\"\"\r\n", i, i, fresh, i, i)
			fresh++
		}
	}
	out, err := charmap.Windows1251.NewEncoder().String(sb.String())
	if err != nil {
		b.Fatal(err)
	}
	return []byte(out)
}
