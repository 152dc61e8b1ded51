package dashboards_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// resourceSizes is what the browser says it received for ECharts and for
// the page itself: bytes on the wire (transferSize: 0 when served from
// its cache), encoded body and decoded body.
const resourceSizes = `(() => {
  const e = performance.getEntriesByType('resource').find(r => r.name.includes('/static/vendor/echarts.min.js'));
  const n = performance.getEntriesByType('navigation')[0];
  return [e.transferSize, e.encodedBodySize, e.decodedBodySize, n.encodedBodySize, n.decodedBodySize];
})()`

// TestBrowserAssetsCompressedAndCached: Chromium receives ECharts and the
// page compressed, and a second page takes ECharts from its cache without
// asking the server again.
func TestBrowserAssetsCompressedAndCached(t *testing.T) {
	ts := dashtest.New(t)
	base, ctx, step := dashtest.Browser(t, ts, 30*time.Second)
	step("login page", chromedp.Navigate(base+"/login"), chromedp.WaitVisible(`input[name=email]`))
	sizes, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](resourceSizes))
	if err != nil {
		t.Fatal(err)
	}
	if sizes[1]*2 > sizes[2] || sizes[2] < 500_000 {
		t.Errorf("ECharts came as %d bytes for %d: not compressed", sizes[1], sizes[2])
	}
	if sizes[3] >= sizes[4] {
		t.Errorf("the page came as %d bytes for %d: not compressed", sizes[3], sizes[4])
	}
	step("another page", chromedp.Navigate(base+"/login?lang=en"), chromedp.WaitVisible(`input[name=email]`))
	if sizes, err = chromedp.Run(ctx, chromedp.Evaluate[[]int](resourceSizes)); err != nil {
		t.Fatal(err)
	}
	if sizes[0] != 0 {
		t.Errorf("ECharts fetched again (%d bytes on the wire): not cached", sizes[0])
	}
}
