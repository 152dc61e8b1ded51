package pages_test

import (
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// TestStaticAssets: our own files and ECharts (fetched by `make assets`;
// TestEChartsEmbedded) are served from the binary; pages load ECharts
// from there only.
func TestStaticAssets(t *testing.T) {
	ts := dashtest.New(t)
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "app.js", Method: "GET", URL: "/static/app.js", Status: 200, Contains: []string{"echarts.init"}},
		{Name: "ECharts", Method: "GET", URL: "/static/vendor/echarts.min.js", Status: 200, Contains: []string{"Apache"}},
		{Name: "missing file", Method: "GET", URL: "/static/nope.js", Status: 404},
		{Name: "the login page loads ECharts from Voronka", Method: "GET", URL: "/login", Status: 200,
			Contains: []string{`<script src="/static/vendor/echarts.min.js">`}, NotContains: []string{"https://", "http://", `id="no-echarts"`}},
	})
}
