package rates

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/testenv"
)

var (
	director = domain.Principal{UserID: 1, Role: domain.RoleDirector}
	manager  = domain.Principal{UserID: 2, Role: domain.RoleManager}
)

func newStore(t *testing.T) Store {
	t.Helper()
	return Store{DB: testenv.NewPG(t).Pool}
}

// stored is every rate row as PostgreSQL holds it, "USD 2024-03-02 92.5058".
func stored(t *testing.T, s Store) []string {
	t.Helper()
	rows, err := s.DB.Query(context.Background(), `SELECT code || ' ' || valid_from || ' ' || trim_scale(rate) FROM currency_rates ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var x string
		rows.Scan(&x)
		out = append(out, x)
	}
	return out
}

func put(cur, rate, from string) Put {
	v := NewValue(rate)
	return Put{Currency: cur, Rate: &v, ValidFrom: from}
}

func brief(rs []Rate) string {
	var b []string
	for _, r := range rs {
		to := "-"
		if r.ValidTo != nil {
			to = *r.ValidTo
		}
		b = append(b, r.Currency+" "+r.ValidFrom+".."+to+" "+r.Rate.String())
	}
	return strings.Join(b, "; ")
}

// A rate put for a date adds it, put again with another value corrects
// it, put again the same writes nothing; the list of a span is the rates
// valid on some day of it, the one in force at its start included.
func TestPutAndList(t *testing.T) {
	s, ctx := newStore(t), context.Background()
	got, err := s.Put(ctx, director, put("USD", "92.5058", "2024-03-02"))
	if err != nil {
		t.Fatal(err)
	}
	if b := brief([]Rate{got}); b != "USD 2024-03-02..- 92.5058" {
		t.Errorf("put answered %s", b)
	}
	if _, err := s.Put(ctx, director, put("USD", "91.0001", "2024-03-10")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(ctx, director, put("USD", "92.1", "2024-03-02")); err != nil { // a correction
		t.Fatal(err)
	}
	var xmin string
	s.DB.QueryRow(ctx, `SELECT xmin::text FROM currency_rates WHERE code = 'USD' AND valid_from = '2024-03-02'`).Scan(&xmin)
	if _, err := s.Put(ctx, director, put("USD", "92.10000", "2024-03-02")); err != nil {
		t.Fatal(err)
	}
	var after string
	s.DB.QueryRow(ctx, `SELECT xmin::text FROM currency_rates WHERE code = 'USD' AND valid_from = '2024-03-02'`).Scan(&after)
	if xmin != after {
		t.Errorf("the same rate again rewrote the row (xmin %s → %s)", xmin, after)
	}
	for _, tc := range []struct {
		f    Filter
		want string
	}{
		{Filter{Currency: "USD", From: "2024-03-05", To: "2024-03-09"}, "USD 2024-03-02..2024-03-09 92.1"},
		{Filter{Currency: "USD", From: "2024-03-02", To: "2024-03-10"}, "USD 2024-03-02..2024-03-09 92.1; USD 2024-03-10..- 91.0001"},
		{Filter{Currency: "USD", From: "2024-03-01", To: "2024-03-01"}, "USD 2000-01-01..2024-03-01 90"},
		{Filter{Currency: "USD", From: "2024-04-01"}, "USD 2024-03-10..- 91.0001"},
		{Filter{Currency: "USD", To: "1999-12-31"}, ""},
		{Filter{From: "2024-03-05", To: "2024-03-05"}, "CNY 2000-01-01..- 12.5; EUR 2000-01-01..- 98; USD 2024-03-02..2024-03-09 92.1"},
		{Filter{Currency: "RUB"}, "RUB 2000-01-01..- 1"},
	} {
		rs, err := s.List(ctx, tc.f)
		if err != nil {
			t.Fatalf("%+v: %v", tc.f, err)
		}
		if b := brief(rs); b != tc.want {
			t.Errorf("%+v: %s, want %s", tc.f, b, tc.want)
		}
	}
}

// Bad input is a 422 naming the field (403 for a manager) and writes
// nothing.
func TestPutRefusesBadInput(t *testing.T) {
	s, ctx := newStore(t), context.Background()
	before := stored(t, s)
	for _, tc := range []struct {
		name string
		p    domain.Principal
		in   Put
		kind apperr.Kind
		code string
		fld  string
	}{
		{"zero", director, put("USD", "0", "2024-03-02"), apperr.Invalid, "not_positive", "rate"},
		{"negative", director, put("USD", "-92.5", "2024-03-02"), apperr.Invalid, "not_positive", "rate"},
		{"nine decimals", director, put("USD", "92.123456789", "2024-03-02"), apperr.Invalid, "too_precise", "rate"},
		{"too large", director, put("USD", "1000000000000", "2024-03-02"), apperr.Invalid, "too_large", "rate"},
		{"no rate", director, Put{Currency: "USD", ValidFrom: "2024-03-02"}, apperr.Invalid, "required", "rate"},
		{"unknown currency", director, put("XXX", "1", "2024-03-02"), apperr.Invalid, "unknown_currency", "currency"},
		{"not a code", director, put("usd", "1", "2024-03-02"), apperr.Invalid, "unknown_currency", "currency"},
		{"the rouble", director, put("RUB", "1", "2024-03-02"), apperr.Invalid, "rouble_rate", "currency"},
		{"no currency", director, put("", "1", "2024-03-02"), apperr.Invalid, "required", "currency"},
		{"malformed date", director, put("USD", "92", "02.03.2024"), apperr.Invalid, "invalid_date", "valid_from"},
		{"no such day", director, put("USD", "92", "2024-02-30"), apperr.Invalid, "invalid_date", "valid_from"},
		{"before 1970", director, put("USD", "92", "1969-12-31"), apperr.Invalid, "out_of_range", "valid_from"},
		{"no date", director, put("USD", "92", ""), apperr.Invalid, "required", "valid_from"},
		{"a manager", manager, put("USD", "92", "2024-03-02"), apperr.Forbidden, "forbidden", ""},
	} {
		_, err := s.Put(ctx, tc.p, tc.in)
		e := apperr.As(err)
		if e == nil || e.Kind != tc.kind || e.Code != tc.code || e.Field != tc.fld {
			t.Errorf("%s: %v, want %s on %q", tc.name, err, tc.code, tc.fld)
		}
	}
	if after := stored(t, s); !slices.Equal(before, after) {
		t.Errorf("refused puts wrote: %v → %v", before, after)
	}
}

// A dated rate can be removed, not a currency's only one.
func TestDelete(t *testing.T) {
	s, ctx := newStore(t), context.Background()
	if _, err := s.Put(ctx, director, put("EUR", "99.5", "2024-03-02")); err != nil {
		t.Fatal(err)
	}
	check := func(err error, kind apperr.Kind, code string) {
		t.Helper()
		if e := apperr.As(err); e == nil || e.Kind != kind || e.Code != code {
			t.Errorf("%v, want %s", err, code)
		}
	}
	check(s.Delete(ctx, manager, "EUR", "2024-03-02"), apperr.Forbidden, "forbidden")
	check(s.Delete(ctx, director, "EUR", "2024-03-03"), apperr.NotFound, "not_found")
	check(s.Delete(ctx, director, "EUR", "03.03.2024"), apperr.Invalid, "invalid_date")
	if err := s.Delete(ctx, director, "EUR", "2000-01-01"); err != nil {
		t.Fatal(err)
	}
	check(s.Delete(ctx, director, "EUR", "2024-03-02"), apperr.Conflict, "last_rate")
	if got := stored(t, s); !slices.Contains(got, "EUR 2024-03-02 99.5") || slices.Contains(got, "EUR 2000-01-01 98") {
		t.Errorf("rates after the deletes: %v", got)
	}
}

// Importing the bank's daily file adds the currencies Voronka knows
// (CNY at 126,5893 for 10 yuan: 12.65893) and names the others skipped;
// importing it again changes nothing; a dynamic file then adds its other
// days and leaves the shared one unchanged.
func TestImportBankFiles(t *testing.T) {
	s, ctx := newStore(t), context.Background()
	imp := func(name string) Summary {
		t.Helper()
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		f, err := Parse(data, "")
		if err != nil {
			t.Fatal(err)
		}
		sum, err := s.Import(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return sum
	}
	first := imp("daily_2024-03-02.xml")
	if first.Added != 3 || first.Changed != 0 || first.Unchanged != 0 || first.Skipped != 3 ||
		!slices.Equal(first.SkippedIn, []string{"GBP", "JPY", "KZT"}) || first.From != "2024-03-02" {
		t.Errorf("first import: %+v", first)
	}
	want := []string{"CNY 2000-01-01 12.5", "CNY 2024-03-02 12.65893", "EUR 2000-01-01 98", "EUR 2024-03-02 98.9044",
		"RUB 2000-01-01 1", "USD 2000-01-01 90", "USD 2024-03-02 91.3336"}
	if got := stored(t, s); !slices.Equal(got, want) {
		t.Errorf("after the import:\n%v\nwant\n%v", got, want)
	}
	if again := imp("daily_2024-03-02.xml"); again.Added+again.Changed != 0 || again.Unchanged != 3 || again.Skipped != 3 {
		t.Errorf("second import: %+v", again)
	}
	if got := stored(t, s); !slices.Equal(got, want) {
		t.Errorf("the second import changed the rates: %v", got)
	}
	if _, err := s.Put(ctx, director, put("USD", "90", "2024-03-05")); err != nil {
		t.Fatal(err)
	}
	if dyn := imp("dynamic_usd_2024-03.xml"); dyn.Added != 2 || dyn.Changed != 1 || dyn.Unchanged != 1 || dyn.Kind != "dynamic" {
		t.Errorf("dynamic import: %+v", dyn)
	}
}

// An import that fails part way writes nothing.
func TestImportIsOneTransaction(t *testing.T) {
	s, ctx := newStore(t), context.Background()
	before := stored(t, s)
	day := time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC)
	_, err := s.Import(ctx, File{Kind: "daily", Rates: []Bank{
		{Currency: "USD", Date: day, Rate: decimal.RequireFromString("91.3336")},
		{Currency: "EUR", Date: day, Rate: decimal.RequireFromString("1000000000000")}, // numeric(20, 8) overflows
	}})
	if err == nil {
		t.Fatal("an overflowing rate was imported")
	}
	if after := stored(t, s); !slices.Equal(before, after) {
		t.Errorf("a failed import wrote: %v", after)
	}
}
