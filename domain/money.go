package domain

import (
	"encoding/json"
	"reflect"

	"github.com/shopspring/decimal"
)

// Money is an exact amount with two decimals. JSON accepts a number or a
// numeric string and writes a number with two decimals (150000.00).
type Money struct{ decimal.Decimal }

// NewMoney parses s; for literals in code and tests.
func NewMoney(s string) Money { return Money{decimal.RequireFromString(s)} }

// MarshalJSON writes a plain number with two decimals.
func (m Money) MarshalJSON() ([]byte, error) { return []byte(m.StringFixed(2)), nil }

// UnmarshalJSON reads a number or numeric string; errors are
// *json.UnmarshalTypeError so the decoder names the field.
func (m *Money) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return &json.UnmarshalTypeError{Value: "null", Type: reflect.TypeOf(m)}
	}
	if err := m.Decimal.UnmarshalJSON(b); err != nil {
		return &json.UnmarshalTypeError{Value: "string " + string(b), Type: reflect.TypeOf(m)}
	}
	return nil
}
