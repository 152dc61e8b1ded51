package pages

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/dataset"
	"github.com/voronka/voronka/reports/kinds"
)

// builderKinds are the report kinds the builder makes, in the order it
// offers them, each with the form fields of its params (beside the
// period and the chart every kind takes).
var builderKinds = []struct {
	Kind   string
	Params []string
}{
	{reports.KindGrouped, nil},
	{reports.KindFunnel, []string{"pipeline", "mode", "as_of", "breakdown", "window_days"}},
	{reports.KindStagePercentages, []string{"pipeline", "by_stage"}},
	{reports.KindStageMovement, []string{"pipeline", "per_manager"}},
	{reports.KindManagerActivity, nil},
	{reports.KindActivityOutcomes, nil},
}

// kindParams lists the form fields of a kind's params; ok is false for
// a kind the builder does not make.
func kindParams(kind string) ([]string, bool) {
	for _, k := range builderKinds {
		if k.Kind == kind {
			return k.Params, true
		}
	}
	return nil, false
}

// flagParams are the params that are a checkbox (true or left out).
var flagParams = []string{"by_stage", "per_manager"}

// kindDefinition is the definition of a kind other than grouped: its
// params from the form (as_of only in a funnel's current mode,
// window_days only in its reached mode), the period and the chart.
func (sel builderSel) kindDefinition(lang string) (reports.Definition, error) {
	m := sel.M
	def := reports.Definition{Kind: sel.kind(), Lang: lang, Period: sel.period()}
	if m["chart"] != "" {
		def.Chart = &reports.Chart{Type: m["chart"]}
	}
	names, _ := kindParams(def.Kind)
	params := map[string]any{}
	current := m["mode"] == reports.ModeCurrent
	for _, k := range names {
		v := m[k]
		switch {
		case v == "" || (k == "as_of" && !current) || (k == "window_days" && current):
		case slices.Contains(flagParams, k):
			params[k] = v == "on"
		case k == "window_days":
			n, err := count(v, "params.window_days")
			if err != nil {
				return def, err
			}
			params[k] = n
		default:
			params[k] = v
		}
	}
	if len(params) > 0 {
		b, err := json.Marshal(params)
		if err != nil {
			return def, err
		}
		def.Params = b
	}
	return def, nil
}

// kindFits reports whether the builder shows a definition of another
// kind whole: a kind it makes, no grouped parts, params it has fields
// for (a breakdown it offers), a period without its own zone or field.
func kindFits(def reports.Definition) bool {
	names, ok := kindParams(def.Kind)
	switch {
	case !ok || def.Dataset != "" || len(def.Dimensions) > 0 || len(def.Measures) > 0 || len(def.Filters) > 0,
		def.Pivot != nil || len(def.Sort) > 0 || def.Limit != 0:
		return false
	case def.Period != nil && (def.Period.TZ != "" || def.Period.Field != ""):
		return false
	}
	params, ok := kindValues(def.Params)
	if !ok {
		return false
	}
	for k, v := range params {
		if !slices.Contains(names, k) || (k == "breakdown" && !slices.Contains(kinds.FunnelBreakdowns(), v)) {
			return false
		}
	}
	return true
}

// kindValues reads params as form values: text as it is, numbers in
// digits, true as "on" (a checkbox); false for params that are not a
// flat object of those.
func kindValues(raw json.RawMessage) (map[string]string, bool) {
	out := map[string]string{}
	if len(raw) == 0 {
		return out, true
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if dec.Decode(&m) != nil {
		return nil, false
	}
	for k, v := range m {
		switch x := v.(type) {
		case string:
			out[k] = x
		case json.Number:
			if _, err := strconv.Atoi(x.String()); err != nil {
				return nil, false
			}
			out[k] = x.String()
		case bool:
			if x {
				out[k] = "on"
			}
		default:
			return nil, false
		}
	}
	return out, true
}

// kindChoices lists the other kinds' choices: the deal pipelines the
// user's deals are in (the first chosen when none is), the funnel's
// modes and breakdowns.
func (s *handlers) kindChoices(ctx context.Context, d *pageData, b *builderBody) {
	if ds, ok := dataset.ByKey("deals"); ok {
		if f, ok := fieldInfo(ds, "pipeline"); ok {
			b.Pipelines = s.knownValues(ctx, d.User, ds, f)
		}
		if b.Sel["pipeline"] == "" && len(b.Pipelines) > 0 {
			b.Sel["pipeline"] = b.Pipelines[0].Value
		}
		for _, k := range kinds.FunnelBreakdowns() {
			b.Breakdowns = append(b.Breakdowns, option{k, breakdownLabel(d, ds, k)})
		}
	}
	for _, m := range []string{reports.ModeReached, reports.ModeCurrent} {
		b.Modes = append(b.Modes, option{m, d.T("bld_mode_" + m)})
	}
}

// breakdownLabel names a funnel breakdown by the deals field it is, a
// date's with its grain.
func breakdownLabel(d *pageData, ds *dataset.Dataset, key string) string {
	if f, ok := ds.Field(key); ok {
		return f.Label(d.Lang)
	}
	for _, g := range reports.Grains {
		if f, ok := ds.Field(strings.TrimSuffix(key, "_"+g)); ok && strings.HasSuffix(key, "_"+g) {
			return f.Label(d.Lang) + " (" + d.T("grain_"+g) + ")"
		}
	}
	return key
}
