package pages

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/dataset"
)

// A dashboard table shows its first dashRows rows and says how many the
// result has; a result that fits is shown whole, with no note.
func TestViewTableUpTo(t *testing.T) {
	res := &reports.Result{Columns: []reports.Column{{Key: "n", Type: reports.TypeString}}}
	for i := range dashRows + 10 {
		res.Rows = append(res.Rows, []any{strconv.Itoa(i)})
	}
	tv := viewTableUpTo(res, dashRows, "ru")
	if len(tv.Rows) != dashRows || tv.Rows[dashRows-1][0] != strconv.Itoa(dashRows-1) {
		t.Fatalf("%d rows shown, last %v; want the first %d", len(tv.Rows), tv.Rows[len(tv.Rows)-1], dashRows)
	}
	if want := "Показаны 50 строк из 60; в XLSX — все."; tv.Note != want {
		t.Errorf("note %q, want %q", tv.Note, want)
	}
	res.Rows = res.Rows[:dashRows]
	if tv := viewTableUpTo(res, dashRows, "en"); len(tv.Rows) != dashRows || tv.Note != "" {
		t.Errorf("a fitting table: %d rows, note %q", len(tv.Rows), tv.Note)
	}
}

// Every cell type in each language, written out by hand as a reader
// writes the figure; a code column beside its name column is left out.
func TestViewTableFormats(t *testing.T) {
	const nb = "\u00a0"
	ratio := 0.09448818897637795
	res := &reports.Result{
		Columns: []reports.Column{{Key: "stage", Type: reports.TypeString}, {Key: "stage_name", Type: reports.TypeString},
			{Key: "stage_kind", Type: reports.TypeString}, {Key: "closed_at_month", Type: reports.TypeDate},
			{Key: "created_at", Type: reports.TypeDate}, {Key: "done_at", Type: reports.TypeDateTime},
			{Key: "count", Type: reports.TypeInteger}, {Key: "amount", Type: reports.TypeMoney},
			{Key: "share", Type: reports.TypePercent}, {Key: "days_avg", Type: reports.TypeNumber}},
		Rows: [][]any{{"first_contact", "Первый контакт", "open", "2026-06-01", "2026-03-31", "2026-03-31T14:05:00+03:00",
			int64(1234567), domain.Money{Decimal: decimal.RequireFromString("219966310.28")}, &ratio, 12.5}},
		Totals: []any{nil, nil, nil, nil, nil, nil, int64(-1000), domain.Money{Decimal: decimal.RequireFromString("-0.5")}, (*float64)(nil), 3.0},
	}
	res.Meta.RowCount = 1200
	for _, c := range []struct {
		lang         string
		row, totals  []string
		count, first string
	}{
		{"ru", []string{"Первый контакт", "открытая", "июнь 2026", "31.03.2026", "31.03.2026 14:05", "1" + nb + "234" + nb + "567",
			"219" + nb + "966" + nb + "310,28" + nb + "₽", "9,4" + nb + "%", "12,5"},
			[]string{"Итого", "—", "—", "—", "—", "−1" + nb + "000", "−0,50" + nb + "₽", "—", "3"}, "1" + nb + "200", "stage_name"},
		{"en", []string{"Первый контакт", "open", "June 2026", "2026-03-31", "2026-03-31 14:05", "1,234,567",
			"219,966,310.28" + nb + "₽", "9.4%", "12.5"},
			[]string{"Total", "—", "—", "—", "—", "−1,000", "−0.50" + nb + "₽", "—", "3"}, "1,200", "stage_name"},
	} {
		tv := viewTable(res, c.lang)
		if tv.Columns[0].Key != c.first || len(tv.Columns) != len(c.row) {
			t.Errorf("%s: columns %v, want the code column left out", c.lang, tv.Columns)
		}
		for i := range c.row {
			if tv.Rows[0][i] != c.row[i] {
				t.Errorf("%s: cell %s = %q, want %q", c.lang, tv.Columns[i].Key, tv.Rows[0][i], c.row[i])
			}
			if tv.Totals[i] != c.totals[i] {
				t.Errorf("%s: total %s = %q, want %q", c.lang, tv.Columns[i].Key, tv.Totals[i], c.totals[i])
			}
		}
		if tv.Count != c.count {
			t.Errorf("%s: count %q, want %q", c.lang, tv.Count, c.count)
		}
	}
}

// A chart's categories read as the tables do (a month in words, a stage
// kind in words) and the option tells static/format.js each series'
// value type.
func TestChartIn(t *testing.T) {
	res := &reports.Result{
		Columns: []reports.Column{{Key: "closed_at_month", Type: reports.TypeDate}, {Key: "stage_kind", Type: reports.TypeString},
			{Key: "amount_sum", Label: "Сумма", Type: reports.TypeMoney}, {Key: "count", Label: "Сделок", Type: reports.TypeInteger}},
		Rows: [][]any{{"2026-06-01", "open", 10.5, int64(2)}, {"2026-07-01", "won", 3.0, int64(1)}},
	}
	for _, c := range []struct {
		cat  string
		want []string
	}{
		{"closed_at_month", []string{`"data":["июнь 2026","июль 2026"]`, `"voronka":{"lang":"ru","series":["money","integer"]}`}},
		{"stage_kind", []string{`"data":["открытая","выиграна"]`}},
	} {
		opt := chartIn(barChart(res, c.cat, series{Col: "amount_sum"}, series{Col: "count", Axis: 1}), "ru", res)
		b, _ := json.Marshal(opt)
		for _, w := range c.want {
			if !strings.Contains(string(b), w) {
				t.Errorf("%s: option lacks %s: %s", c.cat, w, b)
			}
		}
	}
	opt := chartIn(pieChart(res, "stage_kind", "count", "Others"), "en", res)
	if b, _ := json.Marshal(opt); !strings.Contains(string(b), `"name":"won"`) || !strings.Contains(string(b), `"series":["integer"]`) {
		t.Errorf("English pie: %s", b)
	}
}

// The builder offers a stage's, a pipeline's and a source's name, not
// their codes beside them; a selection grouping by a code keeps it.
func TestBuilderOffersNamesNotCodes(t *testing.T) {
	ds, _ := dataset.ByKey("deals")
	d := &pageData{Lang: "ru", tr: messages.Translator("ru")}
	dims := func(sel map[string]string) []string {
		b := &builderBody{Sel: sel}
		b.fieldChoices(d, ds)
		var keys []string
		for _, o := range b.Dims {
			keys = append(keys, o.Value)
		}
		return keys
	}
	got := dims(map[string]string{})
	for _, code := range []string{"stage", "pipeline", "source"} {
		if slices.Contains(got, code) || !slices.Contains(got, code+"_name") {
			t.Errorf("dimensions %v: want %s_name and not %s", got, code, code)
		}
	}
	if got := dims(map[string]string{"dim1": "stage"}); !slices.Contains(got, "stage") {
		t.Errorf("a selection grouping by the stage code lost it: %v", got)
	}
}

// Amounts in other currencies carry the currency's sign where it has a
// common one, else its code.
func TestMoneyTextCurrencies(t *testing.T) {
	m := domain.Money{Decimal: decimal.RequireFromString("18666.9")}
	for _, c := range []struct{ lang, cur, want string }{
		{"ru", "USD", "18\u00a0666,90\u00a0$"}, {"ru", "EUR", "18\u00a0666,90\u00a0€"}, {"ru", "RUB", "18\u00a0666,90\u00a0₽"},
		{"en", "", "18,666.90\u00a0₽"}, {"ru", "GEL", "18\u00a0666,90\u00a0GEL"},
	} {
		if got := moneyText(c.lang, m, c.cur); got != c.want {
			t.Errorf("%s %s: %q, want %q", c.lang, c.cur, got, c.want)
		}
	}
}
