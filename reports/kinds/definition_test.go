package kinds

import (
	"testing"
	"time"

	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
)

// Every bad definition is a 422 naming the JSON path at fault, with the
// allowed values where there is a list of them.
func TestValidateErrors(t *testing.T) {
	cases := []struct {
		name, def, field, code string
		allowed                string // one value the details must list
	}{
		{"no dataset", `{"measures":[{"agg":"count"}]}`, "dataset", "required", "deals"},
		{"unknown dataset", `{"dataset":"users","measures":[{"agg":"count"}]}`, "dataset", "unknown_dataset", "payments"},
		{"nothing to show", `{"dataset":"deals"}`, "measures", "required", ""},
		{"unknown dimension field", `{"dataset":"deals","dimensions":[{"field":"stage"},{"field":"password_hash"}]}`, "dimensions[1].field", "unknown_field", "stage_name"},
		{"SQL as a field name", `{"dataset":"deals","dimensions":[{"field":"title; DROP TABLE deals"}]}`, "dimensions[0].field", "unknown_field", "title"},
		{"measure field cannot group", `{"dataset":"deals","dimensions":[{"field":"amount"}]}`, "dimensions[0].field", "not_a_dimension", "stage"},
		{"bad grain", `{"dataset":"deals","dimensions":[{"field":"stage"},{"field":"created_at","grain":"decade"}]}`, "dimensions[1].grain", "unknown_grain", "quarter"},
		{"grain on text", `{"dataset":"deals","dimensions":[{"field":"stage","grain":"month"}]}`, "dimensions[0].grain", "grain_not_allowed", ""},
		{"unknown agg", `{"dataset":"deals","measures":[{"field":"amount","agg":"stddev"}]}`, "measures[0].agg", "unknown_agg", "median"},
		{"agg not allowed", `{"dataset":"deals","measures":[{"field":"title","agg":"sum"}]}`, "measures[0].agg", "agg_not_allowed", "count_distinct"},
		{"sum needs a field", `{"dataset":"deals","measures":[{"agg":"sum"}]}`, "measures[0].field", "required", "amount"},
		{"duplicate measure", `{"dataset":"deals","measures":[{"agg":"count"},{"agg":"count"}]}`, "measures[1]", "duplicate", ""},
		{"unknown filter field", `{"dataset":"deals","measures":[{"agg":"count"}],"filters":[{"field":"nope","op":"eq","value":1}]}`, "filters[0].field", "unknown_field", "amount"},
		{"op not for text", `{"dataset":"deals","measures":[{"agg":"count"}],"filters":[{"field":"title","op":"gt","value":"a"}]}`, "filters[0].op", "op_not_allowed", "contains"},
		{"unknown op", `{"dataset":"deals","measures":[{"agg":"count"}],"filters":[{"field":"title","op":"like","value":"a"}]}`, "filters[0].op", "op_not_allowed", "eq"},
		{"text for an integer", `{"dataset":"deals","measures":[{"agg":"count"}],"filters":[{"field":"id","op":"eq","value":"1 OR 1=1"}]}`, "filters[0].value", "invalid_value", ""},
		{"three decimals of money", `{"dataset":"deals","measures":[{"agg":"count"}],"filters":[{"field":"amount","op":"gt","value":1.005}]}`, "filters[0].value", "invalid_value", ""},
		{"empty in", `{"dataset":"deals","measures":[{"agg":"count"}],"filters":[{"field":"stage","op":"in","value":[]}]}`, "filters[0].value", "invalid_value", ""},
		{"bad item of in", `{"dataset":"deals","measures":[{"agg":"count"}],"filters":[{"field":"id","op":"in","value":[1,"x"]}]}`, "filters[0].value[1]", "invalid_value", ""},
		{"between needs two", `{"dataset":"deals","measures":[{"agg":"count"}],"filters":[{"field":"amount","op":"between","value":[1]}]}`, "filters[0].value", "invalid_value", ""},
		{"bad date", `{"dataset":"deals","measures":[{"agg":"count"}],"filters":[{"field":"created_at","op":"gt","value":"31.01.2024"}]}`, "filters[0].value", "invalid_value", ""},
		{"is_null takes a boolean", `{"dataset":"deals","measures":[{"agg":"count"}],"filters":[{"field":"closed_at","op":"is_null","value":"yes"}]}`, "filters[0].value", "invalid_value", ""},
		{"period on a text field", `{"dataset":"deals","measures":[{"agg":"count"}],"period":{"field":"title","preset":"today"}}`, "period.field", "not_a_date", "closed_at"},
		{"unknown preset", `{"dataset":"deals","measures":[{"agg":"count"}],"period":{"preset":"forever"}}`, "period.preset", "unknown_preset", "this_month"},
		{"bad time zone", `{"dataset":"deals","measures":[{"agg":"count"}],"period":{"preset":"today","tz":"Mars/Base"}}`, "period.tz", "unknown_time_zone", ""},
		{"pivot on a non-dimension", `{"dataset":"deals","dimensions":[{"field":"stage"}],"measures":[{"agg":"count"}],"pivot":{"columns":["amount"]}}`, "pivot.columns[0]", "not_a_dimension", "stage"},
		{"sort by unknown column", `{"dataset":"deals","dimensions":[{"field":"stage"}],"measures":[{"agg":"count"}],"sort":[{"by":"amount_sum"}]}`, "sort[0].by", "unknown_column", "count"},
		{"sort by a pivot column", `{"dataset":"deals","dimensions":[{"field":"stage"},{"field":"source"}],"measures":[{"agg":"count"}],"pivot":{"columns":["source"]},"sort":[{"by":"source"}]}`, "sort[0].by", "unknown_column", "stage"},
		{"limit too big", `{"dataset":"deals","measures":[{"agg":"count"}],"limit":100001}`, "limit", "out_of_range", ""},
		{"bad chart", `{"dataset":"deals","measures":[{"agg":"count"}],"chart":{"type":"radar"}}`, "chart.type", "unknown_chart", "bar"},
		{"bad lang", `{"dataset":"deals","measures":[{"agg":"count"}],"lang":"de"}`, "lang", "unknown_lang", "en"},
		{"params on a grouped report", `{"dataset":"deals","measures":[{"agg":"count"}],"params":{"x":1}}`, "params", "unknown_field", ""},
		{"unknown kind", `{"kind":"magic","dataset":"deals"}`, "kind", "unknown_kind", "grouped"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := reports.ParseDefinition([]byte(c.def))
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			e := apperr.As(Validate(d, time.Now()))
			if e == nil || e.Kind != apperr.Invalid || e.Field != c.field || e.Code != c.code {
				t.Fatalf("got %v, want 422 %s on %s", e, c.code, c.field)
			}
			if c.allowed != "" && !detailsList(e, c.allowed) {
				t.Errorf("details %v lack %q", e.Details, c.allowed)
			}
		})
	}
}

func detailsList(e *apperr.Error, want string) bool {
	m, _ := e.Details.(map[string]any)
	switch list := m["allowed"].(type) {
	case []string:
		for _, s := range list {
			if s == want {
				return true
			}
		}
	}
	return false
}

// The JSON decoder refuses unknown fields and wrong types by name.
func TestParseDefinitionStrict(t *testing.T) {
	cases := map[string]string{
		`{"dataset":"deals","measures":[{"agg":"count"}],"group_by":"x"}`:    "group_by",
		`{"dataset":"deals","dimensions":[{"field":"stage","sql":"1"}]}`:     "sql",
		`{"dataset":"deals","limit":"ten"}`:                                  "limit",
		`{"dataset":"deals","measures":[{"agg":"count"}],"sort":[{"by":1}]}`: "sort.by",
	}
	for def, field := range cases {
		_, err := reports.ParseDefinition([]byte(def))
		if e := apperr.As(err); e == nil || e.Kind != apperr.Invalid || e.Field != field {
			t.Errorf("%s: %v, want 422 on %s", def, err, field)
		}
	}
	if _, err := reports.ParseDefinition([]byte(`{"dataset":`)); apperr.KindOf(err) != apperr.Malformed {
		t.Errorf("truncated JSON: %v, want 400", err)
	}
}

// deal_facts converts amounts at the rate of the creation date in olap's
// zone: the reports' default zone, or the facts' roubles would differ
// from the datasets' (which convert by reports.DefaultTZ).
func TestFactsRateZoneIsTheReportsZone(t *testing.T) {
	if olap.RateZone != reports.DefaultTZ {
		t.Fatalf("olap.RateZone %q, reports.DefaultTZ %q", olap.RateZone, reports.DefaultTZ)
	}
}
