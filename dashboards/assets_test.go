package dashboards

import "testing"

// TestStaticAssets: our own files and ECharts (fetched by `make assets`)
// are served from the binary; pages load ECharts from there only.
func TestStaticAssets(t *testing.T) {
	ts := newTestServer(t)
	if !echartsEmbedded() {
		t.Fatal("ECharts is not embedded: run `make assets` before the tests")
	}
	runScenarios(t, ts, []scenario{
		{name: "app.js", method: "GET", url: "/static/app.js", status: 200, contains: []string{"echarts.init"}},
		{name: "ECharts", method: "GET", url: "/static/vendor/echarts.min.js", status: 200, contains: []string{"Apache"}},
		{name: "missing file", method: "GET", url: "/static/nope.js", status: 404},
		{name: "the login page loads ECharts from Voronka", method: "GET", url: "/login", status: 200,
			contains: []string{`<script src="/static/vendor/echarts.min.js">`}, notContains: []string{"https://", "http://", `id="no-echarts"`}},
	})
}
