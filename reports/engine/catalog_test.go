package engine

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/kinds"
)

// TestCatalogIDs: at least the ten reports the issue names, under stable
// ids, each valid as it ships.
func TestCatalogIDs(t *testing.T) {
	var ids []string
	for _, r := range reports.StandardReports() {
		ids = append(ids, r.ID)
		def := r.Definition
		if err := kinds.Validate(&def, time.Now()); err != nil {
			t.Errorf("%s: %v", r.ID, err)
		}
		if r.NameRU == "" || r.NameEN == "" || r.Description == "" {
			t.Errorf("%s: names and description required", r.ID)
		}
	}
	for _, want := range []string{"deals_by_stage", "sales_funnel", "manager_effectiveness", "manager_activity", "won_by_month",
		"deals_by_source", "invoices_issued_vs_paid", "payments_expected_vs_received", "lost_by_reason_and_stage",
		"lead_conversion_by_source"} {
		if !slices.Contains(ids, want) {
			t.Errorf("catalog lacks %s", want)
		}
	}
	if r, ok := reports.Standard("won_by_month"); !ok {
		t.Error("Standard(won_by_month) not found")
	} else if def := r.WithPeriod("2025-01-01", "2025-03-31"); def.Period.Field != "closed_at" || def.Period.From != "2025-01-01" || def.Period.Preset != "" {
		t.Errorf("WithPeriod lost the date field or kept the preset: %+v", def.Period)
	}
}

// TestCatalogRunsWithAccess runs every standard report on the seeded
// data with a period override: each answers with rows for the director,
// and the busiest manager's answer equals the director's on a copy of
// only that manager's rows.
func TestCatalogRunsWithAccess(t *testing.T) {
	s := kxSeeded(t)
	m := kxBusyManager(t, s)
	restricted := kxRestricted(t, s, m.UserID)
	ctx := context.Background()
	for _, r := range reports.StandardReports() {
		def := r.WithPeriod(kxSeedYear.From, kxSeedYear.To)
		all, err := s.eng.Run(ctx, kxDirector, &def)
		if err != nil {
			t.Errorf("%s as director: %v", r.ID, err)
			continue
		}
		if len(all.Rows) == 0 {
			t.Errorf("%s: no rows on a year of seeded data", r.ID)
		}
		mine, err := s.eng.Run(ctx, m, &def)
		if err != nil {
			t.Errorf("%s as manager: %v", r.ID, err)
			continue
		}
		dir, err := restricted.Run(ctx, kxDirector, &def)
		if err != nil {
			t.Errorf("%s on the manager's rows: %v", r.ID, err)
			continue
		}
		a, b := kxCells(mine.Rows), kxCells(dir.Rows)
		if def.Kind == reports.KindPlanFact || def.Kind == reports.KindForecast || def.Kind == reports.KindForecastAccuracy {
			// a manager's plan rows are their own (not the deals they
			// observe): the director's rows of that responsible
			b = nil
			who := slices.IndexFunc(all.Columns, func(c reports.Column) bool { return c.Key == "responsible" })
			for _, row := range all.Rows {
				if row[who] == any(m.UserID) {
					b = append(b, kxCells([][]any{row})...)
				}
			}
		}
		if strings.Join(a, "\n") != strings.Join(b, "\n") {
			t.Errorf("%s: manager\n%s\ndirector on the manager's rows\n%s", r.ID, strings.Join(a, "\n"), strings.Join(b, "\n"))
		}
		if len(a) == 0 || len(a) == len(kxCells(all.Rows)) && strings.Join(a, "\n") == strings.Join(kxCells(all.Rows), "\n") {
			t.Logf("%s: the manager's answer is empty or the director's; weak check", r.ID)
		}
	}
}
