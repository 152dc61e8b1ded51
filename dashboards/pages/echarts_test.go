package pages

import "testing"

// TestEChartsEmbedded: the build embedded ECharts (TestStaticAssets serves it).
func TestEChartsEmbedded(t *testing.T) {
	if !echartsEmbedded() {
		t.Fatal("ECharts is not embedded: run `make assets` before the tests")
	}
}
