package api

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/i18n"
)

// planWriters may set plans.
var planWriters = []domain.Role{domain.RoleAdmin, domain.RoleDirector}

// planRoutes: sales plans (../shared/API.md, "Plans and forecasts"), set
// by directors and admins a metric and month at a time, several at once
// (the plan page's Save) or from a finance sheet, read by all (a
// manager their own).
func (s *handlers) planRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Path: "/plans", Summary: "Plans by month, metric and pipeline (a manager sees their own)",
			Handler: s.listPlans, Answer: list[crmcore.Plan]{}, Query: []string{"month", "metric", "pipeline"}},
		{Method: "PUT", Path: "/plans", Summary: "Set the targets of one metric, month and pipeline (a null value removes one); all or nothing; idempotent",
			Roles: planWriters, Handler: s.setPlans, Body: crmcore.PlanSet{}, Answer: list[crmcore.Plan]{}},
		{Method: "PUT", Path: "/plans/batch", Summary: "Set several metrics, months and pipelines at once, as PUT /plans does each, in one transaction: all or nothing (an error names sets[i]…); idempotent",
			Roles: planWriters, Handler: s.setPlanSets, Body: planBatch{}, Answer: list[crmcore.Plan]{}},
		{Method: "POST", Path: "/plans/import", Status: 200, Roles: planWriters,
			Summary: "Import plans from a CSV or XLSX sheet (multipart field file, or the raw body): a row per manager and month, a column per metric; all or nothing — a 422 lists every bad cell by row and column; dry_run=1 checks and previews without storing; month= for a sheet without a month column",
			Handler: s.importPlans, Answer: planImportResult{}, Query: []string{"dry_run", "month"}},
	}
}

// planBatch is the body of PUT /plans/batch.
type planBatch struct {
	Sets []crmcore.PlanSet `json:"sets"`
}

func (s *handlers) listPlans(c *fiber.Ctx) error {
	items, err := s.Store.ListPlans(c.UserContext(), server.Principal(c),
		crmcore.PlanFilter{Month: c.Query("month"), Metric: c.Query("metric"), Pipeline: c.Query("pipeline")})
	return sendPage(c, items, len(items), 0, 0, err)
}

func (s *handlers) setPlans(c *fiber.Ctx) error {
	var in crmcore.PlanSet
	if err := server.DecodeJSON(c, &in); err != nil {
		return err
	}
	items, err := s.Store.SetPlans(c.UserContext(), server.Principal(c), in)
	return sendPage(c, items, len(items), 0, 0, err)
}

func (s *handlers) setPlanSets(c *fiber.Ctx) error {
	var in planBatch
	if err := server.DecodeJSON(c, &in); err != nil {
		return err
	}
	items, err := s.Store.SetPlanSets(c.UserContext(), server.Principal(c), in.Sets)
	return sendPage(c, items, len(items), 0, 0, err)
}

// planImportResult is what an import set (or, dry run, would set).
type planImportResult struct {
	DryRun    bool            `json:"dry_run"`
	Format    string          `json:"format"` // csv or xlsx
	Encoding  string          `json:"encoding,omitempty"`
	Separator string          `json:"separator,omitempty"`
	Rows      int             `json:"rows"`      // rows with plans
	Targets   int             `json:"targets"`   // plan values in the file
	Changed   int             `json:"changed"`   // of them new or different from the stored ones
	Unchanged int             `json:"unchanged"` // equal to the stored ones
	Managers  int             `json:"managers"`
	Months    []string        `json:"months"`
	ByMetric  map[string]int  `json:"by_metric"`
	Ignored   []string        `json:"ignored_columns"`
	Plans     []planImportRow `json:"plans"`
}

func (s *handlers) importPlans(c *fiber.Ctx) error {
	dryRun, err := boolParam(c, "dry_run")
	if err != nil {
		return err
	}
	defMonth := c.Query("month")
	if _, err := time.Parse("2006-01", defMonth); defMonth != "" && err != nil {
		return apperr.Field("month", "invalid_month", "month is YYYY-MM")
	}
	data, _, err := importBody(c)
	if err != nil {
		return err
	}
	sh, err := readPlanSheet(data)
	if err != nil {
		return err
	}
	ctx, p := c.UserContext(), server.Principal(c)
	var refs planRefs
	if refs.users, err = s.Store.ListUsers(ctx); err != nil {
		return err
	}
	if refs.pipelines, err = s.Store.Pipelines(ctx); err != nil {
		return err
	}
	f := parsePlanFile(sh, refs, defMonth)
	if len(f.Problems) > 0 {
		return planProblemsError(c.Query("lang"), f.Problems)
	}
	res := planImportResult{DryRun: dryRun, Format: sh.Format, Encoding: sh.Encoding, Separator: sh.Separator,
		Rows: len(f.Rows), ByMetric: map[string]int{}, Ignored: f.Ignored, Plans: f.Rows}
	stored, err := s.storedPlans(c, f)
	if err != nil {
		return err
	}
	managers := map[int64]bool{}
	for _, r := range f.Rows {
		managers[r.ResponsibleID] = true
		if !slices.Contains(res.Months, r.Month) {
			res.Months = append(res.Months, r.Month)
		}
		for metric, v := range r.Values {
			res.Targets++
			res.ByMetric[metric]++
			if old, ok := stored[planKey(metric, r.Month, r.Pipeline, r.ResponsibleID)]; ok && old.Equal(v.Decimal) {
				res.Unchanged++
			} else {
				res.Changed++
			}
		}
	}
	res.Managers = len(managers)
	slices.Sort(res.Months)
	if !dryRun && res.Targets > 0 {
		if _, err := s.Store.SetPlanSets(ctx, p, f.sets()); err != nil {
			return err
		}
	}
	return c.JSON(res)
}

// storedPlans are the plans now stored for the file's months, by
// planKey.
func (s *handlers) storedPlans(c *fiber.Ctx, f planFile) (map[string]domain.Money, error) {
	out := map[string]domain.Money{}
	done := map[string]bool{}
	for _, r := range f.Rows {
		if done[r.Month] {
			continue
		}
		done[r.Month] = true
		plans, err := s.Store.ListPlans(c.UserContext(), server.Principal(c), crmcore.PlanFilter{Month: r.Month})
		if err != nil {
			return nil, err
		}
		for _, pl := range plans {
			out[planKey(pl.Metric, pl.Month, pl.Pipeline, pl.ResponsibleID)] = pl.Value
		}
	}
	return out, nil
}

func planKey(metric, month string, pipeline *string, responsible int64) string {
	return strings.Join([]string{metric, month, planCodeOf(pipeline), strconv.FormatInt(responsible, 10)}, " ")
}

// planProblemsError is the 422 of a plan file with problems: every one,
// by row and column, their messages in lang when the request asks for
// one (?lang=ru), else the engine's English.
func planProblemsError(lang string, problems []planProblem) error {
	for i := range problems {
		pr := &problems[i]
		if i18n.Valid(lang) {
			params := map[string]any{"value": pr.Value, "column": pr.Column}
			for k, v := range pr.params {
				params[k] = v
			}
			pr.Message = i18n.ErrorText(lang, pr.Code, "", params)
		}
	}
	return &apperr.Error{Kind: apperr.Invalid, Code: codeInvalidPlanFile, Field: "file",
		Message: "the file has problems; nothing was imported",
		Details: map[string]any{"count": len(problems), "problems": problems}}
}
