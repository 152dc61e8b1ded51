package rates

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/internal/apperr"
)

// Rate is roubles per one unit of Currency, valid from ValidFrom until
// ValidTo (the day before the currency's next rate; nil while in force).
type Rate struct {
	Currency  string  `json:"currency"`
	ValidFrom string  `json:"valid_from"` // YYYY-MM-DD
	ValidTo   *string `json:"valid_to"`
	Rate      Value   `json:"rate"`
}

// Value is a rate: a decimal written in JSON as a plain number with at
// most Scale decimals (92.5058), read from a number or a numeric string.
type Value struct{ decimal.Decimal }

// NewValue parses s; for literals in code and tests.
func NewValue(s string) Value { return Value{decimal.RequireFromString(s)} }

// MarshalJSON writes the number without trailing zeros.
func (v Value) MarshalJSON() ([]byte, error) { return []byte(v.String()), nil }

// UnmarshalJSON reads a number or a numeric string; errors are
// *json.UnmarshalTypeError so the decoder names the field.
func (v *Value) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return &json.UnmarshalTypeError{Value: "null", Type: reflect.TypeOf(v)}
	}
	if err := v.Decimal.UnmarshalJSON(b); err != nil {
		return &json.UnmarshalTypeError{Value: "string " + string(b), Type: reflect.TypeOf(v)}
	}
	return nil
}

// Put is the input of Store.Put: a currency's rate from a date on.
type Put struct {
	Currency  string `json:"currency"`
	Rate      *Value `json:"rate"`
	ValidFrom string `json:"valid_from"`
}

// Filter selects rates: of one currency ("" every one but the rouble),
// valid on some day of [From, To] (either "" for open), YYYY-MM-DD.
type Filter struct {
	Currency, From, To string
}

// maxRate is the first value numeric(20, 8) cannot hold.
var maxRate = decimal.New(1, 12)

// CheckRate is the one rule for a rate's value: above zero, at most Scale
// decimals and 12 digits before the point. The error names field.
func CheckRate(field string, v decimal.Decimal) error {
	switch {
	case !v.IsPositive():
		return apperr.Field(field, "not_positive", "a rate is roubles per one unit: above zero")
	case !v.Equal(v.Round(Scale)):
		return apperr.Field(field, "too_precise", fmt.Sprintf("a rate has at most %d decimals", Scale))
	case v.GreaterThanOrEqual(maxRate):
		return apperr.Field(field, "too_large", "a rate has at most 12 digits before the point")
	}
	return nil
}

// First and last days a rate may start on: ClickHouse's Date (the copy
// the reports read) holds 1970 to 2105.
var (
	firstDay = time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC)
	lastDay  = time.Date(2100, 12, 31, 0, 0, 0, 0, time.UTC)
)

// ParseDay reads a date YYYY-MM-DD of field; "" is allowed when
// optional.
func ParseDay(field, s string, optional bool) (time.Time, error) {
	if s == "" {
		if optional {
			return time.Time{}, nil
		}
		return time.Time{}, apperr.Field(field, "required", "give a date YYYY-MM-DD")
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, apperr.Field(field, "invalid_date", "want a real date YYYY-MM-DD such as 2024-03-02")
	}
	if d.Before(firstDay) || d.After(lastDay) {
		return time.Time{}, apperr.Field(field, "out_of_range", "a rate's date is from 1970-01-02 to 2100-12-31")
	}
	return d, nil
}

// checkCode checks a currency code's form (the table decides whether it
// is known): three Latin capitals, not the rouble, whose rate is 1.
func checkCode(field, code string) error {
	switch {
	case code == "":
		return apperr.Field(field, "required", "give a currency code such as USD")
	case code == Rouble:
		return apperr.Field(field, "rouble_rate", "the rouble's rate is always 1")
	case !isoCode.MatchString(code):
		return apperr.Field(field, "unknown_currency", fmt.Sprintf("unknown currency %q", code))
	}
	return nil
}

// Rouble is the currency amounts convert to.
const Rouble = "RUB"

// validate checks what needs no database and returns the date.
func (in *Put) validate() (time.Time, error) {
	in.Currency = strings.TrimSpace(in.Currency)
	if err := checkCode("currency", in.Currency); err != nil {
		return time.Time{}, err
	}
	if in.Rate == nil {
		return time.Time{}, apperr.Field("rate", "required", "give the rate: roubles per one unit")
	}
	if err := CheckRate("rate", in.Rate.Decimal); err != nil {
		return time.Time{}, err
	}
	return ParseDay("valid_from", in.ValidFrom, false)
}
