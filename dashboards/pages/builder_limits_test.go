package pages_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// sheetRows counts the rows of a workbook's first sheet, read as the
// zip and XML it is (not through excelize, which wrote it).
func sheetRows(t *testing.T, book []byte) int {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(book), int64(len(book)))
	if err != nil {
		t.Fatalf("not a zip: %v (%.200s)", err, book)
	}
	f, err := zr.Open("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return len(regexp.MustCompile(`<row[ >]`).FindAll(b, -1))
}

// TestBuilderLimits: the builder writes no limit of its own, so a saved
// report's XLSX holds every row; a page that shows only the first rows
// says so, with the total; a limit typed in the builder holds on the
// page and in the XLSX alike, and says so. Fixture: manyDealsFixture,
// 1,100 deals «Д-1» … «Д-1100».
func TestBuilderLimits(t *testing.T) {
	ts := dashtest.NewEngine(t, manyDealsFixture)
	form := func(kv ...string) url.Values {
		v := url.Values{"csrf": {dashtest.CSRF}, "do": {"save"}, "kind": {"grouped"}, "dataset": {"deals"}, "chart": {"table"}}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	save := func(name string, v url.Values) string {
		t.Helper()
		v.Set("name", name)
		status, body, h := ts.PageBody("POST", "/reports/new", "analyst", v)
		if status != 303 {
			t.Fatalf("save %s: %d %s", name, status, body)
		}
		return strings.TrimPrefix(h.Get("Location"), "/reports/")
	}
	definition := func(id string) map[string]any {
		var got struct{ Definition map[string]any }
		if ts.DoJSON("GET", "/api/v1/reports/"+id, "analyst", nil, &got) != 200 {
			t.Fatalf("report %s", id)
		}
		return got.Definition
	}
	workbook := func(id string) []byte {
		t.Helper()
		resp := ts.Page("GET", "/reports/"+id+"/xlsx", "analyst", nil)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("xlsx of %s: %d %s", id, resp.StatusCode, b)
		}
		return b
	}
	byTitle := form("dim1", "title", "measure1", "count")
	flat := save("Все сделки", byTitle)
	pivot := save("Все сделки по стадиям", form("dim1", "title", "dim2", "stage_name", "pivot", "on", "measure1", "count"))
	limited := save("Первые 300", form("dim1", "title", "measure1", "count", "limit", "300"))
	for _, id := range []string{flat, pivot} {
		if d := definition(id); d["limit"] != nil {
			t.Errorf("report %s saved with a limit: %v", id, d)
		}
	}
	if d := definition(limited); d["limit"] != float64(300) {
		t.Errorf("the typed limit: %v", d)
	}
	// Rows: title, header, one per deal, totals.
	for id, want := range map[string]int{flat: 1100 + 3, pivot: 1100 + 3, limited: 300 + 3} {
		if got := sheetRows(t, workbook(id)); got != want {
			t.Errorf("report %s: the XLSX has %d rows, want %d", id, got, want)
		}
	}
	runPageScenarios(t, ts, []pageScenario{
		{name: "the builder's preview says it shows a first part", method: "GET", url: "/reports/new?" + byTitle.Encode(), as: "analyst", status: 200,
			contains: []string{"id=\"rows-note\">Показаны первые 1\u00a0000 строк из 1\u00a0100; в XLSX — все."}},
		{name: "a saved report's page too", method: "GET", url: "/reports/" + flat, as: "analyst", status: 200,
			contains: []string{"Показаны первые 1\u00a0000 строк из 1\u00a0100; в XLSX — все."}},
		{name: "a pivot's page too", method: "GET", url: "/reports/" + pivot, as: "analyst", status: 200,
			contains: []string{"Показаны первые 1\u00a0000 строк из 1\u00a0100; в XLSX — все."}},
		{name: "a limit set on purpose says so", method: "GET", url: "/reports/" + limited, as: "analyst", status: 200,
			contains: []string{"Отчёт ограничен 300 строками (лимит отчёта) из 1\u00a0100; XLSX ограничен так же."}},
		{name: "the limit is in the builder", method: "GET", url: "/reports/" + limited + "/edit", as: "analyst", status: 200,
			contains: []string{`name="limit" value="300"`}},
		{name: "in English", method: "GET", url: "/reports/" + flat + "?lang=en", as: "analyst", status: 200,
			contains: []string{"Showing the first 1,000 of 1,100 rows; the XLSX has them all."}},
		{name: "a report that fits says nothing", method: "GET", url: "/reports/new?" + form("dim1", "stage_name", "measure1", "count").Encode(), as: "analyst", status: 200,
			contains: []string{"|Отсев||100|"}, lacks: []string{`id="rows-note"`}},
	})

	// A report the former builder saved carries its limit of 1000: its
	// page says where the rows stop and why; opened in the builder the
	// limit reads as none, so saving it lets the XLSX hold every row.
	var old struct{ ID int64 }
	if ts.DoJSON("POST", "/api/v1/reports", "analyst", json.RawMessage(`{"name":"Старый","definition":{"dataset":"deals",`+
		`"dimensions":[{"field":"title"}],"measures":[{"agg":"count"}],"limit":1000,"chart":{"type":"table"}}}`), &old) != 201 {
		t.Fatal("create the old report")
	}
	id := dashtest.Itoa(old.ID)
	runPageScenarios(t, ts, []pageScenario{
		{name: "a report of the former builder says why it stops", method: "GET", url: "/reports/" + id, as: "analyst", status: 200,
			contains: []string{"Отчёт ограничен 1\u00a0000 строками из 1\u00a0100: так его сохранил прежний конструктор."}},
		{name: "its limit reads as none in the builder", method: "GET", url: "/reports/" + id + "/edit", as: "analyst", status: 200,
			contains: []string{`name="limit" value=""`}},
	})
	resave := form("dim1", "title", "measure1", "count", "name", "Старый")
	if status, body, _ := ts.PageBody("POST", "/reports/"+id+"/edit", "analyst", resave); status != 303 {
		t.Fatalf("save the old report: %d %s", status, body)
	}
	if d := definition(id); d["limit"] != nil || sheetRows(t, workbook(id)) != 1100+3 {
		t.Errorf("the old report saved again: %v", d)
	}
}
