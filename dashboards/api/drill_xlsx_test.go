package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/voronka/voronka/dashboards/dashtest"
	"github.com/voronka/voronka/reports"
)

// drillAnswer is the JSON of a drill.
type drillAnswer struct {
	Columns []reports.Column
	Rows    [][]any
	Meta    struct{ Total int64 }
}

// drillSheet reads a drill workbook back with excelize: the header row
// (found by the id column's label) and the rows under it.
func drillSheet(t *testing.T, file, idLabel string) ([]string, [][]string) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader([]byte(file)))
	if err != nil {
		t.Fatalf("not an XLSX file (%d bytes): %v", len(file), err)
	}
	defer f.Close()
	sheet := f.GetSheetList()[0]
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) > 0 && r[0] == idLabel {
			return r, rows[i+1:]
		}
	}
	t.Fatalf("sheet %s has no header row starting %q: %q", sheet, idLabel, rows)
	return nil, nil
}

// sameDrillRows checks that the sheet holds exactly the API's records,
// in its order: the id, the title and the stage as they are, the amount
// in roubles as a number.
func sameDrillRows(t *testing.T, api drillAnswer, head []string, rows [][]string, lang string) {
	t.Helper()
	col := map[string]int{}
	for i, c := range api.Columns {
		col[c.Key] = i
		want := c.LabelRU
		if lang == "en" {
			want = c.LabelEN
		}
		if i >= len(head) || head[i] != want {
			t.Fatalf("header %d = %q, want %q (%q)", i, head, want, c.Key)
		}
	}
	var got [][]string
	for _, r := range rows {
		if len(r) > 0 && r[0] != "" {
			got = append(got, r)
		}
	}
	if len(got) != len(api.Rows) || int64(len(got)) != api.Meta.Total {
		t.Fatalf("the sheet has %d records, the API %d (total %d): %q", len(got), len(api.Rows), api.Meta.Total, got)
	}
	for i, want := range api.Rows {
		for _, key := range []string{"id", "title", "stage_name", "responsible_name"} {
			if g, w := got[i][col[key]], fmt.Sprint(want[col[key]]); g != w {
				t.Errorf("row %d %s: sheet %q, API %q", i, key, g, w)
			}
		}
		g, _ := strconv.ParseFloat(got[i][col["amount"]], 64)
		w, _ := strconv.ParseFloat(fmt.Sprint(want[col["amount"]]), 64)
		if g != w {
			t.Errorf("row %d amount: sheet %v, API %v", i, g, w)
		}
	}
}

// TestDrillXLSX: POST /reports/drill.xlsx and /funnels/drill.xlsx hold
// exactly the rows of the same drill's JSON, in its order (by amount,
// descending), under the caller's access, with the headers in the
// language asked; a bad request is a 422 error answer, not a file.
func TestDrillXLSX(t *testing.T) {
	ts := dashtest.NewReport(t)
	const grouped = `{"definition":{"dataset":"deals","dimensions":[{"field":"responsible"}],"measures":[{"agg":"count"}]},"cell":{},"sort":[{"by":"amount","desc":true}]}`
	for _, as := range []string{"director", "manager"} {
		var api drillAnswer
		if st := ts.DoJSON("POST", "/api/v1/reports/drill", as, json.RawMessage(grouped), &api); st != 200 {
			t.Fatalf("drill as %s: %d", as, st)
		}
		st, file := ts.Do("POST", "/api/v1/reports/drill.xlsx", as, grouped)
		if st != 200 {
			t.Fatalf("drill.xlsx as %s: %d %s", as, st, file)
		}
		head, rows := drillSheet(t, file, api.Columns[0].LabelRU)
		sameDrillRows(t, api, head, rows, "ru")
		if as == "manager" && api.Meta.Total != 2 || as == "director" && api.Meta.Total != 3 {
			t.Errorf("%s drills %d records of the fixture's", as, api.Meta.Total)
		}
	}

	const funnel = `{"pipeline":"sales","period":{"from":"2025-01-01","to":"2025-01-31"},"step":"new","which":"reached","sort":[{"by":"amount"}]}`
	var api drillAnswer
	if st := ts.DoJSON("POST", "/api/v1/funnels/drill", "director", json.RawMessage(funnel), &api); st != 200 || api.Meta.Total == 0 {
		t.Fatalf("funnel drill: %d %+v", st, api.Meta)
	}
	st, file := ts.Do("POST", "/api/v1/funnels/drill.xlsx?lang=en", "director", funnel)
	if st != 200 {
		t.Fatalf("funnels/drill.xlsx: %d %s", st, file)
	}
	head, rows := drillSheet(t, file, api.Columns[0].LabelEN)
	sameDrillRows(t, api, head, rows, "en")

	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "anonymous", Method: "POST", URL: "/api/v1/reports/drill.xlsx", Body: grouped, Status: 401},
		{Name: "a step not of the pipeline", Method: "POST", URL: "/api/v1/funnels/drill.xlsx", As: "director",
			Body: `{"pipeline":"sales","period":{"preset":"this_year"},"step":"nope","which":"reached"}`, Status: 422, Field: "step"},
		{Name: "a cell key that is not a dimension", Method: "POST", URL: "/api/v1/reports/drill.xlsx", As: "director",
			Body:   `{"definition":{"dataset":"deals","dimensions":[{"field":"responsible"}],"measures":[{"agg":"count"}]},"cell":{"amount":1}}`,
			Status: 422, Field: "cell.amount"},
	})
}
