package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// postPlans sends a file to POST /api/v1/plans/import as multipart.
func postPlans(t *testing.T, ts *dashtest.Server, as, query, name string, data []byte) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req := httptest.NewRequest("POST", "/api/v1/plans/import?"+query, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+ts.Tokens[as])
	resp, err := ts.Srv.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// storedPlans are the stored plans as sorted "month metric pipeline
// who value" lines (who: m for manager, m2 for manager2).
func storedPlans(t *testing.T, ts *dashtest.Server) string {
	t.Helper()
	var out struct {
		Items []struct {
			Metric, Month string
			Pipeline      *string
			ResponsibleID int64 `json:"responsible_id"`
			Value         json.Number
		}
	}
	if st := ts.DoJSON("GET", "/api/v1/plans", "director", nil, &out); st != 200 {
		t.Fatalf("GET /plans: %d", st)
	}
	who := map[int64]string{ts.Users["manager"].ID: "m", ts.Users["manager2"].ID: "m2"}
	var lines []string
	for _, p := range out.Items {
		pipe := "all"
		if p.Pipeline != nil {
			pipe = *p.Pipeline
		}
		lines = append(lines, fmt.Sprintf("%s %s %s %s %s", p.Month, p.Metric, pipe, who[p.ResponsibleID], p.Value))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// importAnswer is the part of an import's answer the tests compare.
type importAnswer struct {
	DryRun    bool `json:"dry_run"`
	Format    string
	Encoding  string
	Separator string
	Rows      int
	Targets   int
	Changed   int
	Unchanged int
	Managers  int
	Months    []string
	ByMetric  map[string]int `json:"by_metric"`
	Ignored   []string       `json:"ignored_columns"`
}

// importFile posts a file and decodes its 200 answer.
func importFile(t *testing.T, ts *dashtest.Server, as, query, name string, data []byte) importAnswer {
	t.Helper()
	status, body := postPlans(t, ts, as, query, name, data)
	var a importAnswer
	if status != 200 || json.Unmarshal([]byte(body), &a) != nil {
		t.Fatalf("import: %d %s", status, body)
	}
	return a
}

func cp1251(t *testing.T, s string) []byte {
	t.Helper()
	b, err := charmap.Windows1251.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Plans from CSV as finance sends them (issue 17): a comma file in
// UTF-8 with full names and e-mails; a semicolon file in Windows-1251
// with decimal commas, digit groups, Russian month words and initials;
// a UTF-8 file with a BOM, English headers, dates and a pipeline. Each
// answer counts what it set; the same file again changes nothing; a dry
// run stores nothing. Every expected figure is written out by hand.
func TestPlansImportCSV(t *testing.T) {
	ts := dashtest.New(t)
	comma := "Менеджер,Месяц,Выручка ₽,Выиграно сделок,Новые сделки,Звонки,Встречи,Комментарий\n" +
		"Иванов Иван Иванович,2026-03,1500000,5,12,120,8,новичок\n" +
		"manager2@test.local,2026-03,750000.50,3,,90,6,\n"
	dry := importFile(t, ts, "director", "dry_run=1", "plan.csv", []byte(comma))
	if want := (importAnswer{DryRun: true, Format: "csv", Encoding: "utf-8", Separator: ",", Rows: 2, Targets: 9, Changed: 9, Managers: 2,
		Months: []string{"2026-03"}, ByMetric: map[string]int{"won_amount": 2, "won_count": 2, "new_deals": 1, "calls": 2, "meetings": 2},
		Ignored: []string{"Комментарий"}}); fmt.Sprint(dry) != fmt.Sprint(want) {
		t.Errorf("dry run answers %+v\nwant %+v", dry, want)
	}
	if n := ts.RowCount("plans"); n != 0 {
		t.Fatalf("a dry run stored %d plans", n)
	}
	got := importFile(t, ts, "director", "", "plan.csv", []byte(comma))
	if got.DryRun || got.Targets != 9 || got.Changed != 9 {
		t.Errorf("import answers %+v", got)
	}
	want := strings.Join([]string{
		"2026-03 calls all m 120.00", "2026-03 calls all m2 90.00",
		"2026-03 meetings all m 8.00", "2026-03 meetings all m2 6.00",
		"2026-03 new_deals all m 12.00",
		"2026-03 won_amount all m 1500000.00", "2026-03 won_amount all m2 750000.50",
		"2026-03 won_count all m 5.00", "2026-03 won_count all m2 3.00",
	}, "\n")
	if s := storedPlans(t, ts); s != want {
		t.Errorf("stored after the comma file:\n%s\nwant\n%s", s, want)
	}
	before := tableDigest(ts, "plans")
	again := importFile(t, ts, "admin", "", "plan.csv", []byte(comma))
	if again.Changed != 0 || again.Unchanged != 9 || tableDigest(ts, "plans") != before {
		t.Errorf("the same file again: %+v, table changed: %v", again, tableDigest(ts, "plans") != before)
	}

	semi := cp1251(t, "Менеджер;Месяц;Выручка, руб.;Звонки\r\n"+
		"Иванов И. И.;апрель 2026;1 234 567,89;100\r\n"+
		"Петрова Анна;Апреля 2026 г.;2\u00a0000\u00a0000;\r\n")
	got = importFile(t, ts, "director", "", "план.csv", semi)
	if got.Encoding != "cp1251" || got.Separator != ";" || got.Targets != 3 || got.Changed != 3 || fmt.Sprint(got.Months) != "[2026-04]" {
		t.Errorf("cp1251 semicolon file: %+v", got)
	}
	bom := append([]byte("\ufeff"), []byte("Manager,Month,Pipeline,Revenue,Won deals,New deals,Calls,Meetings\n"+
		"manager@test.local,01.05.2026,sales,\"1,000,000.25\",2,4,,\n"+
		"Петрова Анна Викторовна,2026-05-31,Продажи,\"300000,5\",,,,1\n")...)
	got = importFile(t, ts, "director", "", "plan.csv", bom)
	if got.Encoding != "utf-8" || got.Targets != 5 || fmt.Sprint(got.Months) != "[2026-05]" || len(got.Ignored) != 0 {
		t.Errorf("BOM file: %+v", got)
	}
	want += "\n" + strings.Join([]string{
		"2026-04 calls all m 100.00", "2026-04 won_amount all m 1234567.89", "2026-04 won_amount all m2 2000000.00",
		"2026-05 meetings sales m2 1.00", "2026-05 new_deals sales m 4.00", "2026-05 won_amount sales m 1000000.25",
		"2026-05 won_amount sales m2 300000.50", "2026-05 won_count sales m 2.00",
	}, "\n")
	if s := storedPlans(t, ts); s != want {
		t.Errorf("stored after three files:\n%s\nwant\n%s", s, want)
	}
}

// An XLSX written by excelize as Excel would: a title row above the
// header, numbers as numbers (1234567.89 stored as a float), a month as
// a date cell and one as words, a second sheet of notes.
func TestPlansImportXLSX(t *testing.T) {
	ts := dashtest.New(t)
	f := excelize.NewFile()
	sh := "План"
	f.SetSheetName("Sheet1", sh)
	dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 17}) // mmm-yy
	rows := [][]any{
		{"План продаж на II квартал 2026"},
		{},
		{"Менеджер", "Месяц", "Воронка", "Выручка, ₽", "Выиграно сделок", "Звонки"},
		{"Иванов Иван Иванович", time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), "", 1234567.89, 4, 150},
		{"Петрова Анна Викторовна", "июнь 2026", "sales", 2500000, nil, 60},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sh, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	f.SetCellStyle(sh, "B4", "B4", dateStyle)
	f.NewSheet("Заметки")
	f.SetCellValue("Заметки", "A1", "согласовано с финансами")
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	got := importFile(t, ts, "director", "", "plan.xlsx", buf.Bytes())
	if got.Format != "xlsx" || got.Rows != 2 || got.Targets != 5 || got.Managers != 2 || fmt.Sprint(got.Months) != "[2026-06]" {
		t.Errorf("xlsx: %+v", got)
	}
	want := strings.Join([]string{
		"2026-06 calls all m 150.00", "2026-06 calls sales m2 60.00",
		"2026-06 won_amount all m 1234567.89", "2026-06 won_amount sales m2 2500000.00",
		"2026-06 won_count all m 4.00",
	}, "\n")
	if s := storedPlans(t, ts); s != want {
		t.Errorf("stored from xlsx:\n%s\nwant\n%s", s, want)
	}
}

// problem is one listed problem of a refused file.
type problem struct {
	Row     int
	Column  string
	Cell    string
	Code    string
	Message string
}

func problems(t *testing.T, status int, body string) []problem {
	t.Helper()
	var e struct {
		Error struct {
			Code, Field, Message string
			Details              struct {
				Count    int
				Problems []problem
			}
		}
	}
	if status != 422 || json.Unmarshal([]byte(body), &e) != nil || e.Error.Code != "invalid_plan_file" || e.Error.Details.Count != len(e.Error.Details.Problems) {
		t.Fatalf("want a 422 listing problems: %d %s", status, body)
	}
	return e.Error.Details.Problems
}

// A file with bad cells is refused whole, every problem listed by row
// and column in the reader's language, and nothing stored — not even
// its good rows; files without the needed columns say which; managers
// and analysts may not import.
func TestPlansImportProblems(t *testing.T) {
	ts := dashtest.New(t)
	csv := "Менеджер;Месяц;Воронка;Выручка, ₽;Выиграно сделок;Звонки\n" + // line 1
		"Иванов Иван Иванович;2026-03;;1 000 000;2;50\n" + // 2: good
		"Петрова Анна Викторовна;2026-03;;много;2,5;-3\n" + // 3: not a number, fractional count, negative
		"Сидоров Пётр;2026-03;;100;;\n" + // 4: no such manager
		"Орлова Марина Сергеевна;2026-03;;100;;\n" + // 5: a director
		"manager@test.local;тринадцатый;;100;;\n" + // 6: no month
		"manager@test.local;2026-03;nope;100;;\n" + // 7: no pipeline
		"Иванов И.И.;март 2026;;5;;\n" + // 8: the same manager, month and metric as row 2
		";2026-03;;100;;\n" + // 9: no manager
		"manager2@test.local;2026-04;;10,005;;\n" // 10: three decimals
	st, body := postPlans(t, ts, "director", "lang=ru", "plan.csv", []byte(csv))
	got := problems(t, st, body)
	want := []problem{
		{3, "Выручка, ₽", "", "not_a_number", "«много» — не число: пишите, например, 1 500 000 или 1500000,50."},
		{3, "Выиграно сделок", "", "not_integer", "Нужно целое число."},
		{3, "Звонки", "", "out_of_range", "Значение вне допустимых границ."},
		{4, "Менеджер", "", "unknown_manager", "Активного менеджера «Сидоров Пётр» нет: проверьте ФИО или укажите эл. почту."},
		{5, "Менеджер", "", "not_a_manager", "План ставится только менеджеру."},
		{6, "Месяц", "", "unknown_month", "«тринадцатый» — не месяц: пишите 2026-03, 01.03.2026 или «март 2026»."},
		{7, "Воронка", "", "unknown_pipeline", "Такой воронки нет."},
		{8, "Выручка, ₽", "", "duplicate_plan", "Этот план менеджера на этот месяц уже задан в строке 2."},
		{9, "Менеджер", "", "required", "Заполните это поле."},
		{10, "Выручка, ₽", "", "out_of_range", "Значение вне допустимых границ."},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("problems:\n%v\nwant\n%v", got, want)
	}
	if !strings.Contains(body, "Ошибок в файле: 10. Ничего не импортировано") {
		t.Errorf("the error's message: %s", body)
	}
	if n := ts.RowCount("plans"); n != 0 {
		t.Errorf("a refused file stored %d plans", n)
	}
	// In English without ?lang, the engine's messages; XLSX problems name the cell.
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"Manager", "Month", "Calls"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"manager@test.local", "2026-03", "ten"})
	var buf bytes.Buffer
	f.Write(&buf)
	st, body = postPlans(t, ts, "director", "", "plan.xlsx", buf.Bytes())
	if got := problems(t, st, body); len(got) != 1 || got[0] != (problem{2, "Calls", "C2", "not_a_number", `"ten" is not a number`}) {
		t.Errorf("xlsx problem: %v", got)
	}
	for _, c := range []struct{ name, file, query, column string }{
		{"no manager column", "Месяц,Звонки\n2026-03,5\n", "", "Менеджер"},
		{"no month column", "Менеджер,Звонки\nmanager@test.local,5\n", "", "Месяц"},
		{"no metric column", "Менеджер,Месяц,Отдел\nmanager@test.local,2026-03,продажи\n", "", "Выручка, ₽"},
	} {
		st, body := postPlans(t, ts, "director", c.query, "plan.csv", []byte(c.file))
		if got := problems(t, st, body); len(got) != 1 || got[0].Code != "missing_column" || got[0].Column != c.column {
			t.Errorf("%s: %v", c.name, got)
		}
	}
	// A sheet without a month column takes ?month= (the plan page's month).
	if st, body := postPlans(t, ts, "director", "month=2026-07", "plan.csv", []byte("Менеджер,Звонки\nmanager@test.local,5\n")); st != 200 || !strings.Contains(body, `"months":["2026-07"]`) {
		t.Errorf("?month=: %d %s", st, body)
	}
	for _, c := range []struct {
		name, as, query string
		data            []byte
		status          int
		field           string
	}{
		{"manager", "manager", "", []byte("Менеджер,Месяц,Звонки\nmanager@test.local,2026-03,5\n"), 403, ""},
		{"analyst", "analyst", "", []byte("Менеджер,Месяц,Звонки\nmanager@test.local,2026-03,5\n"), 403, ""},
		{"empty file", "director", "", []byte(" \n"), 422, "file"},
		{"bad dry_run", "director", "dry_run=maybe", []byte("Менеджер,Месяц,Звонки\n"), 422, "dry_run"},
		{"bad month", "director", "month=07.2026", []byte("Менеджер,Звонки\n"), 422, "month"},
		{"a broken xlsx", "director", "", append([]byte("PK\x03\x04"), "not a zip"...), 422, "file"},
	} {
		before := tableDigest(ts, "plans")
		st, body := postPlans(t, ts, c.as, c.query, "plan.csv", c.data)
		var e struct{ Error struct{ Field string } }
		json.Unmarshal([]byte(body), &e)
		if st != c.status || e.Error.Field != c.field || tableDigest(ts, "plans") != before {
			t.Errorf("%s: %d %s (want %d on %q), table changed: %v", c.name, st, body, c.status, c.field, tableDigest(ts, "plans") != before)
		}
	}
}
