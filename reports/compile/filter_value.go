package compile

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/dataset"
)

// maxMoney bounds money filter values (Decimal(18, 2) amounts).
var maxMoney = decimal.New(1, 16)

// scalar converts one filter value to the bound argument for a field of
// its type and the placeholder that reads it; wholeDay is true for a
// date without a time (midnight in loc; the date itself on a date field).
func scalar(f dataset.Field, v any, loc *time.Location, path string) (arg any, ph string, wholeDay bool, err error) {
	bad := func(want string) error { // details.want: the field's type, for a message in the reader's words
		e := apperr.Field(path, "invalid_value", f.Key+" takes "+want)
		e.Details = map[string]any{"want": f.Type}
		return e
	}
	switch f.Type {
	case reports.TypeString:
		s, ok := v.(string)
		if !ok || len([]rune(s)) > maxText {
			return nil, "", false, bad(fmt.Sprintf("a text of at most %d characters", maxText))
		}
		return s, "?", false, nil
	case reports.TypeInteger:
		n, ok := v.(json.Number)
		i, perr := strconv.ParseInt(string(n), 10, 64)
		if !ok || perr != nil {
			return nil, "", false, bad("an integer")
		}
		return i, "?", false, nil
	case reports.TypeMoney:
		m, ok := moneyValue(v)
		if !ok {
			return nil, "", false, bad("an amount with at most 2 decimals, below 10^16")
		}
		return m.StringFixed(2), "toDecimal128(?, 2)", false, nil
	case reports.TypeDate: // a calendar date, compared as a date
		s, ok := v.(string)
		d, err := time.Parse(time.DateOnly, s)
		if !ok || err != nil || !inRange(d) {
			return nil, "", false, bad("a date 2025-01-31")
		}
		return d.Format(time.DateOnly), "toDate(?)", true, nil
	case reports.TypeDateTime:
		t, day, ok := timeValue(v, loc)
		if !ok {
			return nil, "", false, bad("a date 2025-01-31 or an RFC 3339 time 2025-01-31T09:00:00+03:00")
		}
		return t, "?", day, nil
	}
	n, ok := v.(json.Number)
	x, perr := strconv.ParseFloat(string(n), 64)
	if !ok || perr != nil || math.IsInf(x, 0) || math.IsNaN(x) {
		return nil, "", false, bad("a number")
	}
	return x, "?", false, nil
}

// moneyValue reads a JSON number or numeric string with at most two
// decimals.
func moneyValue(v any) (decimal.Decimal, bool) {
	var s string
	switch x := v.(type) {
	case json.Number:
		s = string(x)
	case string:
		s = x
	default:
		return decimal.Decimal{}, false
	}
	d, err := decimal.NewFromString(s)
	if err != nil || !d.Equal(d.Round(2)) || d.Abs().GreaterThanOrEqual(maxMoney) {
		return decimal.Decimal{}, false
	}
	return d, true
}

// kopecks is a two-decimal amount in kopecks.
func kopecks(amount string) int64 { return decimal.RequireFromString(amount).Shift(2).IntPart() }

// timeValue reads a date (midnight in loc) or an RFC 3339 instant, as UTC.
func timeValue(v any, loc *time.Location) (time.Time, bool, bool) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, false, false
	}
	if d, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		return d.UTC(), true, inRange(d)
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, false, false
	}
	return t.UTC(), false, inRange(t)
}

// inRange keeps times within what DateTime holds (1970–2105 UTC).
func inRange(t time.Time) bool { return t.Unix() >= 0 && t.UTC().Year() < 2106 }
