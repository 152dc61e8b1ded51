package engine

import (
	"encoding/json"
	"time"

	"github.com/voronka/voronka/reports"
)

// The records behind a previous-period number (docs/api.md, "The
// period before" under drill-down): a compared answer
// lists no records itself; its _prev cells are the same question asked
// of meta.compared's range. PreviousCell and PreviousFunnel turn a
// compared definition or funnel request and a cell of its answer into
// that question, so the pages and an API caller drill the same records.

// PreviousCell is the drill of the previous-period cell (a k_prev cell,
// or the totals' with cell {}) of row cell of res, the answer of def
// compared: def over meta.compared's exact range (its partial end
// included) and without compare, and cell with each time bucket moved
// back to the previous period's bucket that the comparison matched with
// it (the one that falls on it moved forward by the shift, shiftBucket;
// when two do, the later, as the rows hold them in order). ok is false
// when res is not compared or no previous bucket falls on the row's:
// its _prev cell is empty and lists nothing.
func PreviousCell(def *reports.Definition, res *reports.Result, cell map[string]json.RawMessage) (*reports.Definition, map[string]json.RawMessage, bool) {
	cmp := res.Meta.Compared
	if def == nil || def.Period == nil || cmp == nil || res.Meta.From.IsZero() {
		return nil, nil, false
	}
	loc, err := def.Period.Location("period")
	if err != nil {
		return nil, nil, false
	}
	c := reports.CompareRange(cmp.Mode, reports.Range{From: res.Meta.From, To: res.Meta.To}, loc, time.Time{})
	prev := *def
	prev.Compare = ""
	prev.Period = exactPeriod(def.Period, cmp)
	out := make(map[string]json.RawMessage, len(cell))
	for k, raw := range cell {
		out[k] = raw
		grain, ok := bucketGrain(def, res, k)
		var s string
		if !ok || string(raw) == "null" || json.Unmarshal(raw, &s) != nil {
			continue // not a time bucket (or its empty group): the same value
		}
		back, ok := previousBucket(s, grain, c, loc)
		if !ok {
			return nil, nil, false
		}
		out[k], _ = json.Marshal(back)
	}
	return &prev, out, true
}

// PreviousFunnel is the funnel request whose steps count the previous
// period's figures of req compared (count_prev, amount_prev): req over
// meta.compared's exact range, without compare. Its drill (step, which
// reached, the same breakdown key) lists the deals count_prev counted.
func PreviousFunnel(req reports.FunnelRequest, cmp *reports.ComparedMeta) (reports.FunnelRequest, bool) {
	if cmp == nil || req.Period == nil {
		return req, false
	}
	req.Compare = ""
	req.Period = exactPeriod(req.Period, cmp)
	return req, true
}

// exactPeriod is period (its field and zone) over the compared range,
// to the nanosecond (previousPeriod writes whole seconds).
func exactPeriod(period *reports.Period, cmp *reports.ComparedMeta) *reports.Period {
	return &reports.Period{Field: period.Field, TZ: period.TZ,
		From: cmp.From.Format(time.RFC3339Nano), To: cmp.To.Format(time.RFC3339Nano)}
}

// bucketGrain is the grain of the answer's dimension column key when it
// is a time bucket (a date: a grain's, or a date field's day), as
// mergeCompared matches them.
func bucketGrain(def *reports.Definition, res *reports.Result, key string) (string, bool) {
	for i, d := range def.Dimensions {
		if i >= len(res.Columns) || res.Columns[i].Key != key {
			continue
		}
		switch {
		case d.Grain != "":
			return d.Grain, true
		case res.Columns[i].Type == reports.TypeDate:
			return "day", true
		}
		return "", false
	}
	return "", false
}

// previousBucket is the previous period's bucket (a date at grain in
// loc) that shiftBucket moves onto the current bucket cur: of the
// buckets around cur moved back, the last that lands on it.
func previousBucket(cur, grain string, c reports.Comparison, loc *time.Location) (string, bool) {
	d, err := time.ParseInLocation(time.DateOnly, cur, loc)
	if err != nil {
		return "", false
	}
	step := func(t time.Time, n int) time.Time {
		switch grain {
		case "week":
			return t.AddDate(0, 0, 7*n)
		case "month":
			return t.AddDate(0, n, 0)
		case "quarter":
			return t.AddDate(0, 3*n, 0)
		case "year":
			return t.AddDate(n, 0, 0)
		}
		return t.AddDate(0, 0, n)
	}
	first := reports.GrainStart(c.Back(d).In(loc), grain)
	last := c.Back(step(d, 1)).In(loc)
	found := ""
	for b := step(first, -1); b.Before(last); b = reports.GrainStart(step(b, 1), grain) {
		if s := b.Format(time.DateOnly); shiftBucket(s, grain, c, loc) == cur {
			found = s
		}
	}
	return found, found != ""
}
