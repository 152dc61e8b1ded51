package seed

import (
	"context"
	"testing"

	"github.com/voronka/voronka/internal/testenv"
)

// BenchmarkGenerate measures generation alone (no COPY): one chunk of
// defaultChunk deals per iteration. The database only supplies the
// reference data.
func BenchmarkGenerate(b *testing.B) {
	pg := testenv.NewPG(b)
	var st Stats
	rf, err := loadRef(context.Background(), pg.Pool, testNow, 1, &st)
	if err != nil {
		b.Fatal(err)
	}
	var next ids
	var c *chunk
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		c = generate(rf, 1, testNow, plan{index: i, deals: defaultChunk, lo: 0, hi: 1}, &next, c)
	}
	b.ReportMetric(float64(defaultChunk*b.N)/b.Elapsed().Seconds(), "deals/s")
}
