package pages_test

import (
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// TestDashboardXLSX downloads panel tables; the fixture is described at
// TestDashboardPages.
func TestDashboardXLSX(t *testing.T) {
	ts := dashtest.NewReport(t)
	for _, sc := range []struct {
		name, url, as   string
		status          int
		header, lastRow string // cells joined by "|"
		lacks           string
	}{
		{name: "manager: stage percentages of own deals", url: "/dashboards/manager/xlsx?panel=stages&period=this_year&pipeline=sales", as: "manager", status: 200,
			header:  "Группа стадий|Тип|Вероятность, %|Сделок|Сумма, ₽|Взвешенная сумма, ₽|Доля сделок|Доля суммы",
			lastRow: "Итого|||2|10000|9000|1|1"},
		{name: "director: all deals", url: "/dashboards/director/xlsx?panel=stages", as: "director", status: 200,
			lastRow: "Итого|||3|15000|10000|1|1"},
		{name: "director: leaderboard", url: "/dashboards/director/xlsx?panel=leaders", as: "director", status: 200, header: "Сотрудник (ID)|Сотрудник|Звонки"},
		{name: "manager: no leaderboard", url: "/dashboards/director/xlsx?panel=leaders", as: "manager", status: 404},
		{name: "manager2: never another manager's rows", url: "/dashboards/manager/xlsx?panel=funnel", as: "manager2", status: 200, lacks: "10000"},
		{name: "unknown panel", url: "/dashboards/director/xlsx?panel=nope", as: "director", status: 404},
		{name: "unknown dashboard", url: "/dashboards/nope/xlsx?panel=stages", as: "director", status: 404},
		{name: "anonymous", url: "/dashboards/director/xlsx?panel=stages", status: 303},
	} {
		t.Run(sc.name, func(t *testing.T) {
			resp := ts.Page("GET", sc.url, sc.as, nil)
			defer resp.Body.Close()
			if resp.StatusCode != sc.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, sc.status)
			}
			if sc.status != 200 {
				return
			}
			f, err := excelize.OpenReader(resp.Body)
			if err != nil {
				t.Fatalf("not an XLSX file: %v", err)
			}
			rows, err := f.GetRows("Отчёт", excelize.Options{RawCellValue: true})
			if err != nil || len(rows) < 3 {
				t.Fatalf("rows %v: %v", rows, err)
			}
			if got := strings.Join(rows[1], "|"); sc.header != "" && !strings.HasPrefix(got, sc.header) {
				t.Errorf("header %q, want %q", got, sc.header)
			}
			if got := strings.Join(rows[len(rows)-1], "|"); sc.lastRow != "" && got != sc.lastRow {
				t.Errorf("last row %q, want %q", got, sc.lastRow)
			}
			for _, r := range rows {
				if sc.lacks != "" && strings.Contains(strings.Join(r, "|"), sc.lacks) {
					t.Errorf("row %v holds %q", r, sc.lacks)
				}
			}
		})
	}
}
