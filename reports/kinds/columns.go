package kinds

import (
	"bytes"
	"encoding/json"
	"errors"
	"sort"
	"strconv"
	"strings"

	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
)

// colSpec declares a result column of a report kind: its label in both
// languages, its type and the definition shown on hover.
type colSpec struct {
	key   string
	label i18n.Text
	typ   string
	def   i18n.Text
}

// kindColumns renders specs in lang (i18n.Text.In).
func kindColumns(lang string, specs ...colSpec) []reports.Column {
	out := make([]reports.Column, len(specs))
	for i, s := range specs {
		out[i] = reports.Column{Key: s.key, LabelRU: s.label.RU, LabelEN: s.label.EN, Type: s.typ,
			Label: s.label.In(lang), Definition: s.def.In(lang)}
	}
	return out
}

// decodeKindParams reads a kind's params strictly into dst: unknown fields
// and wrong types are 422 errors naming "params.<field>". Empty params
// leave dst as it is.
func decodeKindParams(raw json.RawMessage, dst any) error {
	if len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null" {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	err := dec.Decode(dst)
	var typ *json.UnmarshalTypeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &typ) && typ.Field != "":
		return apperr.Field("params."+typ.Field, "invalid_type", "wrong type")
	case errors.As(err, &typ):
		return apperr.Field("params", "invalid_type", "params must be an object")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		return apperr.Field("params."+name, "unknown_field", "no such parameter")
	}
	return apperr.Field("params", "invalid_value", err.Error())
}

// nullableCell is a nullable float as a result cell.
func nullableCell(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

// decodePipelineParams decodes kind params into dst and requires the
// pipeline it names (pipeline points into dst).
func decodePipelineParams(raw json.RawMessage, dst any, pipeline *string) error {
	if err := decodeKindParams(raw, dst); err != nil {
		return err
	}
	if *pipeline == "" {
		return requiredPipeline()
	}
	return nil
}

// requiredPipeline is the error of a kind without params.pipeline.
func requiredPipeline() error {
	return apperr.Field("params.pipeline", "required", "name a deal pipeline by its code, e.g. sales")
}

// sortRows sorts rows stably by less.
func sortRows[T any](rows []T, less func(a, b T) bool) {
	sort.SliceStable(rows, func(i, j int) bool { return less(rows[i], rows[j]) })
}
