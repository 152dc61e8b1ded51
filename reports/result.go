package reports

import "time"

// Column describes one column of a tabular result. Key is stable for
// scripts (docs/api.md, "Datasets": a dimension's field key, with _<grain> for a time
// grain; a measure's <field>_<agg>, or count); Label is in the request's
// language, LabelRU/LabelEN both, Type one of string, number, money,
// percent, date, datetime, integer.
type Column struct {
	Key     string `json:"key"`
	Label   string `json:"label"`
	LabelRU string `json:"label_ru"`
	LabelEN string `json:"label_en"`
	Type    string `json:"type"`
	// Definition says what is counted and which date decides, shown one
	// hover away on every chart and table.
	Definition string `json:"definition,omitempty"`
}

// Meta is what a result says about itself.
type Meta struct {
	ElapsedMS int64     `json:"elapsed_ms"`
	RowCount  int       `json:"row_count"`
	DataAsOf  time.Time `json:"data_as_of"`
	From      time.Time `json:"from,omitzero"`
	To        time.Time `json:"to,omitzero"`
	Truncated bool      `json:"truncated,omitempty"` // the limit cut rows off
	SQLMS     int64     `json:"sql_ms"`              // time spent in ClickHouse
	// Cached: the answer was computed earlier (at DataAsOf) and reused
	// (Engine.Cache); the times above are that computation's.
	Cached bool `json:"cached,omitempty"`
	// Compared is the period the answer is compared with (compare).
	Compared *ComparedMeta `json:"compared,omitempty"`
}

// ComparedMeta says which period an answer is compared with: [From, To)
// in UTC, Partial when cut to as much of it as has passed of a running
// current period.
type ComparedMeta struct {
	Mode    string    `json:"mode"`
	From    time.Time `json:"from"`
	To      time.Time `json:"to"`
	Partial bool      `json:"partial,omitempty"`
}

// Result is the tabular answer of POST /api/v1/reports/run: every report
// kind can render itself as one (for tables, XLSX and schedules), and
// kinds with a richer shape (funnels) have their own answer too.
type Result struct {
	Columns []Column `json:"columns"`
	Rows    [][]any  `json:"rows"`
	Totals  []any    `json:"totals,omitempty"` // one cell per column; nil cells for dimensions
	Meta    Meta     `json:"meta"`
}

// Select is a copy of the result with only the columns of these keys, in
// this order (a key it lacks is left out).
func (r *Result) Select(keys ...string) *Result {
	idx := make([]int, 0, len(keys))
	for _, k := range keys {
		for i, c := range r.Columns {
			if c.Key == k {
				idx = append(idx, i)
			}
		}
	}
	pick := func(row []any) []any {
		if row == nil {
			return nil
		}
		out := make([]any, len(idx))
		for j, i := range idx {
			out[j] = row[i]
		}
		return out
	}
	out := &Result{Meta: r.Meta, Totals: pick(r.Totals), Rows: make([][]any, len(r.Rows))}
	for _, i := range idx {
		out.Columns = append(out.Columns, r.Columns[i])
	}
	for n, row := range r.Rows {
		out.Rows[n] = pick(row)
	}
	return out
}

// RowSink receives an export as it streams: the columns and what is known
// of the result before its rows (the period), then every row in order.
// A row slice belongs to the sink once handed over.
type RowSink interface {
	Begin(cols []Column, meta Meta) error
	Row(row []any) error
}
