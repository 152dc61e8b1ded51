// Call-log benchmark: a 100,000-row Asterisk Master.csv imported as call
// activities (intake.ImportCalls, what `voronka calls import` runs) over a
// database seeded with 100,000 deals (~33,000 contacts, ~100,000 leads),
// every number of the file looked up by its duplicate key.

package bench

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/crmcore/intake"
	"github.com/voronka/voronka/crmcore/seed"
	"github.com/voronka/voronka/internal/testenv"
)

// Shares of the file: every 10th call is internal (ext → ext), 3 in 10
// are with a seeded contact's number (written 8XXXXXXXXXX), the rest with
// numbers nobody has; outgoing and incoming alternate.
const (
	callRows     = 100_000
	callInternal = callRows / 10
)

// BenchmarkCallsImport100k imports the file for real (one transaction),
// then again (every call a duplicate).
func BenchmarkCallsImport100k(b *testing.B) {
	var first, again time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		pg := testenv.NewPG(b)
		ctx := context.Background()
		if _, err := seed.Run(ctx, pg.Pool, seed.Options{Deals: 100_000, Seed: 1, Now: benchNow}); err != nil {
			b.Fatal(err)
		}
		s := crmcore.NewStore(pg.Pool)
		p := benchDirector(b, s)
		data := cdrFile(b, pg)
		b.StartTimer()
		start := time.Now()
		res, err := intake.ImportCalls(ctx, s, p, data, intake.CallOptions{})
		first += time.Since(start)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		if r := res.Report; !r.Applied || r.Created != callRows-callInternal || res.Internal != callInternal {
			b.Fatalf("created %d internal %d failed %d, want %d and %d", r.Created, res.Internal, r.Failed, callRows-callInternal, callInternal)
		}
		linked := 0
		for _, row := range res.Report.Rows {
			if strings.HasPrefix(row.Reason, "on ") {
				linked++
			}
		}
		start = time.Now()
		res, err = intake.ImportCalls(ctx, s, p, data, intake.CallOptions{})
		again += time.Since(start)
		if err != nil || res.Report.Created != 0 || res.Duplicates != callRows-callInternal {
			b.Fatalf("again: %+v %v", res.Report.Created, err)
		}
		b.Logf("%d rows: %d calls (%d on a deal or lead), %d internal; first %v, again %v",
			callRows, callRows-callInternal, linked, callInternal, first, again)
	}
	b.ReportMetric(float64(callRows*b.N)/first.Seconds(), "rows/s")
	b.ReportMetric(float64(callRows*b.N)/again.Seconds(), "rows/s-again")
}

// cdrFile writes the Master.csv: the seeded managers get extensions
// 1000 + their id.
func cdrFile(b *testing.B, pg *testenv.PG) []byte {
	ctx := context.Background()
	rows, err := pg.Pool.Query(ctx, `UPDATE users SET extension = (1000 + id)::text WHERE role = 'manager' RETURNING extension`)
	if err != nil {
		b.Fatal(err)
	}
	exts, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(exts) < 2 {
		b.Fatalf("%d managers: %v", len(exts), err)
	}
	rows, err = pg.Pool.Query(ctx, `SELECT '8' || substr(voronka_phone_key(phone), 2) FROM contacts
WHERE length(voronka_phone_key(phone)) = 11 ORDER BY id LIMIT 20000`)
	if err != nil {
		b.Fatal(err)
	}
	known, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(known) == 0 {
		b.Fatalf("%d contact phones: %v", len(known), err)
	}
	var sb strings.Builder
	t0 := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	for i := 0; i < callRows; i++ {
		ext := exts[i%len(exts)]
		other := fmt.Sprintf("8800%07d", i)
		if i%10 < 3 {
			other = known[i%len(known)]
		}
		src, dst, ch, dch := ext, other, "SIP/"+ext+"-"+fmt.Sprintf("%08x", i), "SIP/trunk-"+fmt.Sprintf("%08x", i)
		switch {
		case i%10 == 9:
			dst, dch = exts[(i+1)%len(exts)], "SIP/"+exts[(i+1)%len(exts)]+"-0"
		case i%2 == 1:
			src, dst, ch, dch = other, ext, dch, ch
		}
		start := t0.Add(time.Duration(i) * 17 * time.Second).Format("2006-01-02 15:04:05")
		fmt.Fprintf(&sb, `"","%s","%s","from-internal","""%s"" <%s>","%s","%s","Dial","SIP/trunk/%s,60","%s","%s","%s",%d,%d,"%s","DOCUMENTATION","%d.%d",""`+"\n",
			src, dst, src, src, ch, dch, other, start, start, start, 40+i%300, 30+i%300, "ANSWERED", 1709280000+i, i)
	}
	return []byte(sb.String())
}
