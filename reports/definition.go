package reports

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/voronka/voronka/internal/apperr"
)

// Definition is a report definition (docs/architecture.md, "How a definition becomes SQL"), the same
// JSON whether it comes from the builder, the API, a saved report or a
// schedule. Kind selects the report kind (default "grouped"); Params
// carries kind-specific parameters for the other kinds.
type Definition struct {
	Kind       string          `json:"kind,omitempty"`
	Dataset    string          `json:"dataset,omitempty"`
	Dimensions []Dimension     `json:"dimensions,omitempty"`
	Measures   []Measure       `json:"measures,omitempty"`
	Filters    []Filter        `json:"filters,omitempty"`
	Period     *Period         `json:"period,omitempty"`
	Pivot      *Pivot          `json:"pivot,omitempty"`
	Sort       []Sort          `json:"sort,omitempty"`
	Limit      int             `json:"limit,omitempty"`
	Chart      *Chart          `json:"chart,omitempty"`
	Lang       string          `json:"lang,omitempty"`
	Params     json.RawMessage `json:"params,omitempty"`
	// Compare adds the previous period beside each measure
	// (ComparePreviousPeriod, ComparePreviousYear; "" none): a grouped
	// report without a pivot, with a period.
	Compare string `json:"compare,omitempty"`
}

// Dimension groups by a field; Grain truncates a date field (day, week,
// month, quarter, year).
type Dimension struct {
	Field string `json:"field"`
	Grain string `json:"grain,omitempty"`
}

// Measure aggregates a field; Agg "count" needs no field.
type Measure struct {
	Field string `json:"field,omitempty"`
	Agg   string `json:"agg"`
}

// Filter restricts rows: Field Op Value. Value is JSON: a scalar, an
// array for in/not_in, a two-element array for between, a boolean (or
// nothing) for is_null.
type Filter struct {
	Field string          `json:"field"`
	Op    string          `json:"op"`
	Value json.RawMessage `json:"value,omitempty"`
}

// Pivot turns the values of the listed dimensions into columns.
type Pivot struct {
	Columns []string `json:"columns"`
}

// Sort orders the result by a column key.
type Sort struct {
	By   string `json:"by"`
	Desc bool   `json:"desc,omitempty"`
}

// Chart is the rendering hint.
type Chart struct {
	Type string `json:"type"`
}

// ParseDefinition decodes a definition strictly: unknown fields and
// wrong types are 422 errors naming the field, non-JSON is 400. It does
// not validate; call Validate.
func ParseDefinition(data []byte) (*Definition, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var d Definition
	if err := dec.Decode(&d); err != nil {
		return nil, parseError(err)
	}
	if dec.More() {
		return nil, apperr.New(apperr.Malformed, "malformed_json", "extra data after the definition")
	}
	return &d, nil
}

func parseError(err error) error {
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typ) && typ.Field != "":
		return apperr.Field(typ.Field, "invalid_type", "wrong type")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		return apperr.Field(name, "unknown_field", "no such field")
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.New(apperr.Malformed, "malformed_json", "the definition is incomplete")
	}
	return apperr.New(apperr.Malformed, "malformed_json", err.Error())
}
