package xlsx_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/reportstest"
	"github.com/voronka/voronka/reports/xlsx"
)

// TestExportMatchesTheAPI writes each report kind for each user and
// reads the file back: the header is the columns' Russian labels and
// every row, and the totals, equal the report API's answer (Engine.Run)
// cell by cell; the pivot has a native PivotTable, funnels, stage
// percentages and time series a chart.
func TestExportMatchesTheAPI(t *testing.T) {
	fx := reportstest.New(t)
	ctx := context.Background()
	for _, sc := range []struct {
		name, as, def string
		rows          int // data rows expected (by hand from the fixture)
		chart, pivot  bool
		series        []string // when set, the chart's series: these columns, as columns (barDir col)
	}{
		{name: "grouped by day with totals, director", as: "olga", rows: 5, chart: true,
			def: `{"dataset":"deals","dimensions":[{"field":"created_at","grain":"day"},{"field":"responsible_name"}],"measures":[{"agg":"count"},{"field":"amount","agg":"sum"},{"field":"probability","agg":"avg"}],"period":{"preset":"previous_month"}}`},
		{name: "grouped by title, manager sees own deals", as: "ivan", rows: 3,
			def: `{"dataset":"deals","dimensions":[{"field":"title"},{"field":"stage_name"}],"measures":[{"field":"amount","agg":"sum"}],"period":{"from":"2025-01-01","to":"2025-03-31"}}`},
		{name: "pivot by stage kind", as: "olga", rows: 2, pivot: true,
			def: `{"dataset":"deals","dimensions":[{"field":"responsible_name"},{"field":"stage_kind"}],"measures":[{"field":"amount","agg":"sum"},{"agg":"count"}],"pivot":{"columns":["stage_kind"]},"period":{"preset":"previous_month"}}`},
		{name: "funnel", as: "olga", rows: -1, chart: true,
			def: `{"kind":"funnel","params":{"pipeline":"sales","mode":"reached"},"period":{"preset":"previous_month"}}`},
		{name: "stage percentages, manager", as: "petr", rows: -1, chart: true,
			def: `{"kind":"stage_percentages","params":{"pipeline":"sales"}}`},
		{name: "manager activity", as: "olga", rows: -1,
			def: `{"kind":"manager_activity","period":{"preset":"previous_month"}}`},
		{name: "plan-fact: bars of plan, fact and forecast", as: "olga", rows: 2, chart: true,
			def: `{"kind":"plan_fact","params":{"metric":"won_amount"},"period":{"preset":"previous_month"}}`},
		{name: "forecast by month: columns", as: "olga", rows: 3, chart: true,
			series: []string{"won", "best_case", "weighted", "plan"},
			def:    `{"kind":"forecast","params":{"from":"2025-02","months":3,"by":"month"}}`},
		{name: "forecast by month and manager: no chart", as: "olga", rows: -1,
			def: `{"kind":"forecast","params":{"from":"2025-02","months":3}}`},
		{name: "forecast accuracy by month: columns of the weighted forecast and won", as: "olga", rows: 3, chart: true,
			series: []string{"forecast_weighted", "won"},
			def:    `{"kind":"forecast_accuracy","params":{"by":"month"}}`},
		{name: "forecast accuracy by month and manager: no chart", as: "olga", rows: -1,
			def: `{"kind":"forecast_accuracy","params":{"from":"2025-01","months":2}}`},
	} {
		t.Run(sc.name, func(t *testing.T) {
			def := reportstest.Def(t, sc.def)
			want, err := fx.Engine.Run(ctx, fx.Users[sc.as], def)
			if err != nil {
				t.Fatal(err)
			}
			if sc.rows >= 0 && len(want.Rows) != sc.rows {
				t.Fatalf("the API answers %d rows, the fixture has %d", len(want.Rows), sc.rows)
			}
			var buf bytes.Buffer
			rep := xlsx.Report{Name: "Тестовый отчёт", Def: def, Now: reportstest.Now}
			if _, _, err := xlsx.Export(ctx, fx.Engine, fx.Users[sc.as], rep, xlsx.Options{}, &buf); err != nil {
				t.Fatal(err)
			}
			f, rows := readBack(t, buf.Bytes(), "Отчёт")
			if !strings.HasPrefix(rows[0][0], "Тестовый отчёт · ") || !strings.Contains(rows[0][0], "сформирован 10.03.2025 12:00 MSK") {
				t.Errorf("title %q", rows[0][0])
			}
			if !slices.Equal(rows[1], labels(want.Columns)) {
				t.Errorf("header %s, want %q", fmtRow(rows[1]), labels(want.Columns))
			}
			for i, r := range want.Rows {
				sameRow(t, "row "+rows[i+2][0], rows[i+2], r, want.Columns)
			}
			if want.Totals != nil {
				got := rows[2+len(want.Rows)]
				if got[0] != "Итого" {
					t.Errorf("totals row %s", fmtRow(got))
				}
				sameRow(t, "totals", append([]string{""}, got[1:]...), append([]any{nil}, want.Totals[1:]...), want.Columns)
			}
			_, params := readBack(t, buf.Bytes(), "Параметры")
			if !strings.Contains(fmtRow(flatten(params)), fx.Users[sc.as].Email) {
				t.Errorf("the parameters sheet does not name the user: %v", params)
			}
			// The role in words and the time as a reader writes it; the
			// definition stays for scripts.
			role := map[string]string{"olga": "(коммерческий директор)", "ivan": "(менеджер)", "petr": "(менеджер)"}[sc.as]
			kv := map[string]string{}
			for _, r := range params {
				if len(r) == 2 {
					kv[r[0]] = r[1]
				}
			}
			if !strings.HasSuffix(kv["Сформирован для"], role) || kv["Сформирован"] != "10.03.2025 12:00 MSK" || kv["Определение (JSON)"] == "" {
				t.Errorf("parameters %v", kv)
			}
			if tables, _ := f.GetPivotTables("Сводная"); sc.pivot != (len(tables) == 1) {
				t.Errorf("pivot tables %d, want one: %v", len(tables), sc.pivot)
			}
			if got := hasPart(t, buf.Bytes(), "xl/charts/chart1.xml"); got != sc.chart {
				t.Errorf("chart %v, want %v", got, sc.chart)
			}
			if sc.series != nil {
				var wantSeries []string
				for _, k := range sc.series {
					for _, c := range want.Columns {
						if c.Key == k {
							wantSeries = append(wantSeries, c.Label)
						}
					}
				}
				chart := partText(t, buf.Bytes(), "xl/charts/chart1.xml")
				if got := chartSeries(chart, rows[1]); !slices.Equal(got, wantSeries) || !strings.Contains(chart, `<barDir val="col">`) {
					t.Errorf("chart series %q, want columns of %q", got, wantSeries)
				}
			}
		})
	}
}

// TestManagerFileHoldsOnlyOwnRows compares a manager's export with a
// plain PostgreSQL query: the same deals, no one else's.
func TestManagerFileHoldsOnlyOwnRows(t *testing.T) {
	fx := reportstest.New(t)
	ivan := fx.Users["ivan"]
	def := reportstest.Def(t, `{"dataset":"deals","dimensions":[{"field":"title"}],"measures":[{"field":"amount","agg":"sum"}],"sort":[{"by":"title"}]}`)
	var buf bytes.Buffer
	if _, _, err := xlsx.Export(context.Background(), fx.Engine, ivan, xlsx.Report{Name: "x", Def: def}, xlsx.Options{}, &buf); err != nil {
		t.Fatal(err)
	}
	_, rows := readBack(t, buf.Bytes(), "Отчёт")
	var got []string
	for _, r := range rows[2 : len(rows)-1] {
		got = append(got, r[0]+" "+r[1])
	}
	var want []string
	pgRows, err := fx.PG.Pool.Query(context.Background(),
		`SELECT title || ' ' || (amount::float8)::text FROM deals WHERE responsible_id = $1 ORDER BY title`, ivan.UserID)
	if err != nil {
		t.Fatal(err)
	}
	for pgRows.Next() {
		var s string
		pgRows.Scan(&s)
		want = append(want, s)
	}
	if !slices.Equal(got, want) || len(want) != 3 {
		t.Errorf("ivan's file: %q, PostgreSQL: %q", got, want)
	}
}

// TestRowsContinueOnTheNextSheet makes a sheet hold two rows: six deals
// fill three sheets, each but the last ending with a note naming the
// next; the rows, read in sheet order, are the API's.
func TestRowsContinueOnTheNextSheet(t *testing.T) {
	fx := reportstest.New(t)
	olga := fx.Users["olga"]
	def := reportstest.Def(t, `{"dataset":"deals","dimensions":[{"field":"title"}],"measures":[{"field":"amount","agg":"sum"}]}`)
	want, err := fx.Engine.Run(context.Background(), olga, def)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, _, err := xlsx.Export(context.Background(), fx.Engine, olga, xlsx.Report{Name: "x", Def: def}, xlsx.Options{MaxRows: 2}, &buf); err != nil {
		t.Fatal(err)
	}
	var got [][]string
	for i, sheet := range []string{"Отчёт", "Отчёт (2)", "Отчёт (3)"} {
		_, rows := readBack(t, buf.Bytes(), sheet)
		got = append(got, rows[2:4]...)
		last := rows[len(rows)-1][0]
		if i < 2 && last != "Строки продолжаются на листе «Отчёт ("+string(rune('2'+i))+")»." {
			t.Errorf("sheet %s ends with %q", sheet, last)
		}
		if i == 2 && last != "Итого" {
			t.Errorf("last sheet ends with %q, want the totals", last)
		}
	}
	for i, r := range want.Rows {
		sameRow(t, "row", got[i], r, want.Columns)
	}
}

// TestFileNames are safe on every system.
func TestFileNames(t *testing.T) {
	meta := reports.Meta{From: reportstest.Now.AddDate(0, -1, 0), To: reportstest.Now}
	for in, want := range map[string]string{
		`Сделки: итоги/план "Q1"`: `Сделки_ итоги_план _Q1_ 2025-02-10–2025-03-10.xlsx`,
		"..\tЛиды\n":              "_Лиды_ 2025-02-10–2025-03-10.xlsx",
	} {
		if got := xlsx.FileName(in, meta, nil); got != want {
			t.Errorf("FileName(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"a.b. ": "a.b", "con.txt": "_con.txt", "LPT1": "_LPT1", " .. ": "report"} {
		if got := xlsx.SafeName(in); got != want {
			t.Errorf("SafeName(%q) = %q, want %q", in, got, want)
		}
	}
}

func flatten(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

// hasPart reports whether the workbook's zip holds the named part.
// partText is a part of the file as text ("" when absent).
func partText(t *testing.T, file []byte, name string) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(file), int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		if f.Name == name {
			r, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			b, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	return ""
}

// seriesName finds a chart's series names: references to a header cell,
// <tx><strRef><f>'Отчёт'!$D$2</f>.
var seriesName = regexp.MustCompile(`<tx><strRef><f>[^<]*!\$([A-Z]+)\$2</f>`)

// chartSeries are the header cells (of header) a chart's series are named by.
func chartSeries(chart string, header []string) []string {
	var out []string
	for _, m := range seriesName.FindAllStringSubmatch(chart, -1) {
		i, err := excelize.ColumnNameToNumber(m[1])
		if err != nil || i > len(header) {
			out = append(out, "?"+m[1])
			continue
		}
		out = append(out, header[i-1])
	}
	return out
}

func hasPart(t *testing.T, file []byte, name string) bool {
	z, err := zip.NewReader(bytes.NewReader(file), int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		if f.Name == name {
			return true
		}
	}
	return false
}
