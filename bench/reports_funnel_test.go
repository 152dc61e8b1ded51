// The funnel comparison: Voronka over HTTP, hand-written ClickHouse SQL,
// the same funnel on PostgreSQL.

package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"testing"

	"github.com/voronka/voronka/reports"
)

// funnelRequest is the benchmarked funnel: reached mode, the sales
// pipeline, deals created in the year before benchNow, by responsible.
func (f *reportsFixture) funnelRequest() []byte {
	body, _ := json.Marshal(reports.FunnelRequest{Pipeline: "sales", Period: &f.year, Mode: reports.ModeReached, Breakdown: "responsible"})
	return body
}

// benchFunnel races the funnel.
func (f *reportsFixture) benchFunnel(b *testing.B) {
	ctx, m, pool := context.Background(), loadFunnelStages(b, f), f.pgConn(b)
	f.race(b, "funnel", f.voronkaFunnel,
		func() (figures, error) { return f.clickhouseFunnel(ctx, m, chFunnelOptions{}) },
		func() (figures, error) { return f.postgresFunnel(ctx, pool, m) })
}

// voronkaFunnel runs the funnel through the API and reads its answer.
func (f *reportsFixture) voronkaFunnel() (figures, error) {
	var out reports.Funnel
	if err := f.post("/api/v1/funnels/run", f.funnelRequest(), &out); err != nil {
		return nil, err
	}
	fig := figures{}
	add := func(key string, steps []reports.FunnelStep, lost []reports.FunnelCount) {
		for i, s := range steps {
			fig.set(key, s.Stage, "count", strconv.FormatInt(s.Count, 10))
			fig.set(key, s.Stage, "amount", s.Amount.StringFixed(2))
			fig.set(key, s.Stage, "lost", strconv.FormatInt(lost[i].Count, 10))
			fig.set(key, s.Stage, "lost_amount", lost[i].Amount.StringFixed(2))
			if s.MedianHoursInStage != nil {
				fig.set(key, s.Stage, "median_hours", strconv.FormatFloat(*s.MedianHoursInStage, 'f', 2, 64))
			}
		}
	}
	add("", out.Steps, out.Lost)
	for _, g := range out.Breakdown {
		add(g.Key+" "+g.Label, g.Steps, g.Lost)
	}
	return fig, nil
}

// post sends a JSON body as the director and decodes the 200 answer.
func (f *reportsFixture) post(path string, body []byte, out any) error {
	resp, err := loadClient.Do(request("POST", f.base+path, f.token, body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %d %s", path, resp.StatusCode, data)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return dec.Decode(out)
}
