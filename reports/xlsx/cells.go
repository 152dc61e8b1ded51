package xlsx

import (
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/reports"
)

// excelEpoch is day zero of Excel's 1900 date system (as Excel counts,
// 1900-02-29 included).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// serial is the Excel date number of a wall-clock time.
func serial(t time.Time) float64 {
	wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
	return wall.Sub(excelEpoch).Hours() / 24
}

// value turns a result cell (the API's value) into what the sheet holds
// for a column of type typ: numbers stay numbers, money a number in
// roubles, dates and times Excel date numbers in the report's zone (the
// column style shows them as dates), text text.
func value(v any, typ string, loc *time.Location) any {
	v = deref(v)
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		return textValue(x, typ, loc)
	case domain.Money:
		return x.InexactFloat64()
	case decimal.Decimal:
		return x.InexactFloat64()
	case time.Time:
		return serial(x.In(loc))
	case int, int64, int32, uint64, float64, float32, bool:
		return x
	}
	if f, err := strconv.ParseFloat(fmt.Sprint(v), 64); err == nil {
		return f
	}
	return fmt.Sprint(v)
}

// textValue reads a date or time column's text, and a number column's
// (an id that travels as text, say) as a number; other text stays.
func textValue(s, typ string, loc *time.Location) any {
	switch typ {
	case reports.TypeInteger:
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n
		}
	case reports.TypeNumber, reports.TypeMoney:
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return f
		}
	case reports.TypeDate:
		if d, err := time.Parse(time.DateOnly, s); err == nil {
			return serial(d)
		}
	case reports.TypeDateTime:
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return serial(t.In(loc))
		}
	}
	return s
}

// deref follows pointers (*float64 conversions, say) to their value.
func deref(v any) any {
	switch x := v.(type) {
	case *float64:
		if x == nil {
			return nil
		}
		return *x
	case *int64:
		if x == nil {
			return nil
		}
		return *x
	case *string:
		if x == nil {
			return nil
		}
		return *x
	case *domain.Money:
		if x == nil {
			return nil
		}
		return *x
	}
	return v
}

// display approximates how wide a cell reads, for column widths.
func display(v any, typ string) string {
	switch typ {
	case reports.TypeMoney, reports.TypeNumber:
		return fmt.Sprintf("%.2f ₽ ", toFloat(deref(v)))
	case reports.TypeDate:
		return "00.00.0000"
	case reports.TypeDateTime:
		return "00.00.0000 00:00"
	case reports.TypePercent:
		return "100.0%"
	}
	return fmt.Sprint(deref(v))
}

func toFloat(v any) float64 {
	f, _ := strconv.ParseFloat(fmt.Sprint(v), 64)
	return f
}

func runeLen(s string) int { return utf8.RuneCountInString(s) }
