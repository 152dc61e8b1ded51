package compile

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/compile/compiletest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var (
	goldenDB  = olap.Names{Database: "voronka"}
	goldenNow = time.Date(2026, 4, 14, 22, 30, 0, 0, time.UTC)
)

// The compiler's SQL for each golden case is the one in testdata/;
// go test -run TestCompileGolden -update rewrites them.
func TestCompileGolden(t *testing.T) {
	for _, c := range compiletest.Shapes {
		t.Run(c.Name, func(t *testing.T) {
			got := goldenText(t, c.P, c.Def)
			path := filepath.Join("testdata", c.Name+".sql")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("compiled SQL differs from %s:\n%s", path, got)
			}
		})
	}
}

// goldenText is every query of a compiled definition with its arguments.
func goldenText(t *testing.T, p domain.Principal, def string) string {
	t.Helper()
	d, err := reports.ParseDefinition([]byte(def))
	if err != nil {
		t.Fatal(err)
	}
	c, err := Compile(goldenDB, p, d, goldenNow)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, q := range []*olap.Query{c.Main, c.Rows, c.Cols} {
		if q == nil {
			continue
		}
		b.WriteString(layout(q.SQL))
		for i, a := range q.Args {
			fmt.Fprintf(&b, "-- arg %d: %#v\n", i+1, fmt.Sprint(a))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// layout breaks a query at its clauses, for readable golden files.
func layout(q string) string {
	for _, kw := range []string{" FROM ", " WHERE ", " GROUP BY ", " ORDER BY ", " LIMIT ", " ANY LEFT JOIN "} {
		q = strings.ReplaceAll(q, kw, "\n"+strings.TrimLeft(kw, " "))
	}
	return q + ";\n"
}
