// Checking that the contestants of a comparison give the same answer.

package bench

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// agree fails unless Voronka's, the hand-written ClickHouse query's and
// PostgreSQL's figures are equal: every count and amount exactly (a
// missing cell is 0), medians within 0.01 h (each side rounds its own
// float). It logs the size of what was compared.
func agree(b *testing.B, what string, voronka, clickhouse, postgres figures) {
	b.Helper()
	agreeNamed(b, what, answer{"voronka", voronka}, answer{"clickhouse", clickhouse}, answer{"postgres", postgres})
}

// answer is one contestant's figures, by name.
type answer struct {
	name string
	fig  figures
}

// agreeNamed is agree for any contestants: each of others against first.
func agreeNamed(b *testing.B, what string, first answer, others ...answer) {
	b.Helper()
	cells := 0
	for _, other := range others {
		diffs, n := compareFigures(first.fig, other.fig)
		if len(diffs) > 0 {
			b.Fatalf("%s: %s and %s disagree in %d of %d cells, e.g.\n%s", what, first.name, other.name, len(diffs), n,
				strings.Join(diffs[:min(len(diffs), 12)], "\n"))
		}
		cells = n
	}
	b.Logf("%s: the %d answers agree on all %d cells (%d groups)", what, len(others)+1, cells, len(first.fig))
}

// compareFigures lists the cells where a and b differ, and how many
// cells there are.
func compareFigures(a, b figures) ([]string, int) {
	var diffs []string
	n := 0
	for _, g := range unionKeys(a, b) {
		for _, r := range unionKeys(a[g], b[g]) {
			for _, c := range unionKeys(a[g][r], b[g][r]) {
				n++
				x, y := a.get(g, r, c, zeroOf(c)), b.get(g, r, c, zeroOf(c))
				if !sameCell(c, x, y) {
					diffs = append(diffs, "  ["+g+"] "+r+" "+c+": "+x+" vs "+y)
				}
			}
		}
	}
	sort.Strings(diffs)
	return diffs, n
}

// zeroOf is what a missing cell of column c means.
func zeroOf(c string) string {
	switch {
	case strings.Contains(c, "median"):
		return "none"
	case strings.Contains(c, "amount"):
		return "0.00"
	}
	return "0"
}

func sameCell(col, x, y string) bool {
	if x == y {
		return true
	}
	if !strings.Contains(col, "median") {
		return false
	}
	a, errA := strconv.ParseFloat(x, 64)
	b, errB := strconv.ParseFloat(y, 64)
	return errA == nil && errB == nil && math.Abs(a-b) <= 0.0100001
}

// unionKeys is the sorted union of two maps' keys.
func unionKeys[V any](a, b map[string]V) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range []map[string]V{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}

// figures is an answer reduced to comparable text: group key → row →
// column → value. Amounts are fixed to the kopeck, hours to 0.01.
type figures map[string]map[string]map[string]string

func (fg figures) set(group, row, col, val string) {
	if fg[group] == nil {
		fg[group] = map[string]map[string]string{}
	}
	if fg[group][row] == nil {
		fg[group][row] = map[string]string{}
	}
	fg[group][row][col] = val
}

// add adds n to a count cell and amt to an amount cell (kept exact).
func (fg figures) add(group, row, col string, n int64) {
	v, _ := strconv.ParseInt(fg.get(group, row, col, "0"), 10, 64)
	fg.set(group, row, col, strconv.FormatInt(v+n, 10))
}

func (fg figures) addMoney(group, row, col string, amt decimal.Decimal) {
	v, _ := decimal.NewFromString(fg.get(group, row, col, "0"))
	fg.set(group, row, col, v.Add(amt).StringFixed(2))
}

func (fg figures) get(group, row, col, def string) string {
	if v, ok := fg[group][row][col]; ok {
		return v
	}
	return def
}
