package bench

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/engine"
	"github.com/voronka/voronka/reports/xlsx"
)

// TestMain runs an export child (BenchmarkExport1M starts the test
// binary again with VORONKA_EXPORT_CHILD set, so each export is measured
// alone: its wall time and peak RSS), else the tests and benchmarks.
func TestMain(m *testing.M) {
	if mode := os.Getenv("VORONKA_EXPORT_CHILD"); mode != "" {
		rows, err := exportChild(mode)
		if err != nil {
			fmt.Fprintln(os.Stderr, "export child:", err)
			os.Exit(1)
		}
		fmt.Printf("rows=%d\n", rows)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// exportDef is the benchmark's report: 7 dimensions and 5 measures, one
// row per deal (grouped by id).
const exportDef = `{"dataset":"deals","dimensions":[{"field":"id"},{"field":"title"},{"field":"stage_name"},{"field":"stage_kind"},
{"field":"responsible_name"},{"field":"currency"},{"field":"created_at","grain":"day"}],
"measures":[{"field":"amount","agg":"sum"},{"field":"weighted_amount","agg":"sum"},{"field":"amount_original","agg":"sum"},
{"field":"probability","agg":"max"},{"agg":"count"}],"period":{"from":"2024-01-01","to":"2026-12-31"}}`

// exportChild runs one export mode against VORONKA_EXPORT_CH ("addr db")
// into VORONKA_EXPORT_OUT:
//
//	voronka  reports/xlsx.Export: rows streamed from ClickHouse into the styled workbook
//	bare     the result materialised in memory (as Engine.Run holds it), then a bare StreamWriter
//	gen      a bare StreamWriter writing generated cells of the same types (no ClickHouse)
//	query    the rows read from ClickHouse and dropped (what the export spends before excelize)
//
// VORONKA_EXPORT_GOGC / VORONKA_EXPORT_MEMLIMIT (MiB) tune the collector.
func exportChild(mode string) (int, error) {
	if v := os.Getenv("VORONKA_EXPORT_GOGC"); v != "" {
		n, _ := strconv.Atoi(v)
		debug.SetGCPercent(n)
	}
	if v := os.Getenv("VORONKA_EXPORT_MEMLIMIT"); v != "" {
		n, _ := strconv.ParseInt(v, 10, 64)
		debug.SetMemoryLimit(n << 20)
	}
	if p := os.Getenv("VORONKA_EXPORT_CPUPROFILE"); p != "" {
		f, err := os.Create(p)
		if err != nil {
			return 0, err
		}
		defer f.Close()
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	if p := os.Getenv("VORONKA_EXPORT_HEAPPROFILE"); p != "" { // the live heap half-way, for the notes in BENCHMARKS.md
		go func() {
			time.Sleep(envDuration("VORONKA_EXPORT_HEAPAFTER", 10*time.Second))
			if f, err := os.Create(p); err == nil {
				pprof.WriteHeapProfile(f)
				f.Close()
			}
		}()
	}
	out, err := os.Create(os.Getenv("VORONKA_EXPORT_OUT"))
	if err != nil {
		return 0, err
	}
	defer out.Close()
	if mode == "gen" {
		return bareWrite(out, genRows(1_000_000))
	}
	var addr, db string
	fmt.Sscan(os.Getenv("VORONKA_EXPORT_CH"), &addr, &db)
	ch, err := olap.Open(context.Background(), addr, db)
	if err != nil {
		return 0, err
	}
	defer ch.Close()
	eng := &engine.Engine{CH: ch}
	def, err := reports.ParseDefinition([]byte(exportDef))
	if err != nil {
		return 0, err
	}
	if mode == "voronka" {
		_, rows, err := xlsx.Export(context.Background(), eng, domain.System, xlsx.Report{Name: "Сделки", Def: def}, xlsx.Options{}, out)
		return rows, err
	}
	sink := &collect{keep: mode == "bare"}
	if _, err := eng.Export(context.Background(), domain.System, def, sink); err != nil {
		return 0, err
	}
	if mode == "query" {
		return sink.n, nil
	}
	return bareWrite(out, sink.rows)
}

// collect materialises a result (keep) or counts it.
type collect struct {
	keep bool
	rows [][]any
	n    int
}

func (c *collect) Begin([]reports.Column, reports.Meta) error { return nil }

func (c *collect) Row(r []any) error {
	c.n++
	if c.keep {
		c.rows = append(c.rows, r)
	}
	return nil
}

// bareWrite is excelize's stream writer with nothing added: one SetRow
// per row, the cells as they are (money as its decimal text's number).
func bareWrite(out *os.File, rows [][]any) (int, error) {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return 0, err
	}
	for i, r := range rows {
		cells := make([]any, len(r))
		for j, v := range r {
			if m, ok := v.(domain.Money); ok {
				v = m.InexactFloat64()
			}
			cells[j] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, cells); err != nil {
			return 0, err
		}
	}
	if err := sw.Flush(); err != nil {
		return 0, err
	}
	w := bufio.NewWriter(out)
	if _, err := f.WriteTo(w); err != nil {
		return 0, err
	}
	runtime.KeepAlive(rows)
	return len(rows), w.Flush()
}

// genRows are n rows shaped like the report's: id, title, stage, kind,
// manager, currency, date text, three sums, a probability, a count.
func genRows(n int) [][]any {
	rows := make([][]any, n)
	stages := []string{"Не обработана", "Первичный контакт", "Подготовка КП", "Завершена", "Отказ"}
	for i := range rows {
		rows[i] = []any{int64(i + 1), "Сделка " + strconv.Itoa(i+1), stages[i%5], "open", "Менеджер " + strconv.Itoa(i%20),
			"RUB", "2025-" + strings.Repeat("0", 1) + strconv.Itoa(1+i%9) + "-15", float64(1000 + i%100000), float64(400 + i%1000),
			float64(1000 + i%100000), int64(40), int64(1)}
	}
	return rows
}

func envDuration(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return d
	}
	return def
}
