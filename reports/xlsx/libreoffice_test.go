package xlsx_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/voronka/voronka/reports/reportstest"
	"github.com/voronka/voronka/reports/xlsx"
)

// libreOfficeCSV converts a workbook's first sheet to CSV with LibreOffice
// (a reader that shares no code with excelize) and returns its rows.
func libreOfficeCSV(t *testing.T, file []byte) [][]string {
	t.Helper()
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Fatalf("LibreOffice is required for this test (apt-get install libreoffice-calc-nogui): %v", err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "report.xlsx")
	if err := os.WriteFile(in, file, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", dir, in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("libreoffice: %v\n%s", err, out)
	}
	b, err := os.ReadFile(filepath.Join(dir, "report.csv"))
	if err != nil {
		t.Fatalf("libreoffice wrote no CSV: %v", err)
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestLibreOfficeReadsTheFile opens an export in LibreOffice and compares
// the cells it shows with the API's answer, formatted by hand the way
// the column formats say (dates dd.mm.yyyy, money with two decimals and
// ₽, averages with two decimals), worked out from the fixture and the
// sales stages' probabilities.
func TestLibreOfficeReadsTheFile(t *testing.T) {
	fx := reportstest.New(t)
	def := reportstest.Def(t, `{"dataset":"deals","dimensions":[{"field":"created_at","grain":"day"},{"field":"title"}],"measures":[{"field":"amount","agg":"sum"},{"field":"probability","agg":"avg"}],"period":{"preset":"previous_month"}}`)
	var buf bytes.Buffer
	if _, _, err := xlsx.Export(context.Background(), fx.Engine, fx.Users["ivan"], xlsx.Report{Name: "Сделки", Def: def, Now: reportstest.Now}, xlsx.Options{}, &buf); err != nil {
		t.Fatal(err)
	}
	rows := libreOfficeCSV(t, buf.Bytes())
	want := [][]string{
		{"Сделки · период 01.02.2025–28.02.2025 · сформирован 10.03.2025 12:00 MSK"},
		{"Создана (день)", "Название", "Сумма, ₽: сумма", "Вероятность, %: среднее"},
		{"03.02.2025", "I-1", "1,000.00 ₽", "0.00"},  // stage new: 0 %
		{"14.02.2025", "I-2", "2,500.50 ₽", "40.00"}, // proposal: 40 %
		{"27.02.2025", "I-3", "300.00 ₽", "100.00"},  // won: 100 %
		{"Итого", "", "3,800.50 ₽", "46.67"},         // 140 / 3
	}
	if len(rows) != len(want) {
		t.Fatalf("LibreOffice shows %d rows, want %d: %q", len(rows), len(want), rows)
	}
	for i, w := range want {
		for j, cell := range w {
			if j >= len(rows[i]) || rows[i][j] != cell {
				t.Errorf("row %d: LibreOffice shows %q, want %q", i+1, rows[i], w)
				break
			}
		}
	}
}
