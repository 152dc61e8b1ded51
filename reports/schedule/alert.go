package schedule

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/engine"
)

// The conditions an alert may test (docs/api.md, /alerts). Value is
// in the figure's own unit — roubles, a count, or percent for a percent
// column (60 means 60 %) — for below and above; percent for the rest.
const (
	CondBelow         = "below"          // the figure < value
	CondAbove         = "above"          // the figure > value
	CondDropMoreThan  = "drop_more_than" // fell by more than value % against the previous period
	CondRiseMoreThan  = "rise_more_than" // rose by more than value % against the previous period
	CondForecastBelow = "forecast_below" // a plan-fact forecast below value % of the plan
)

// Conditions lists them.
var Conditions = []string{CondBelow, CondAbove, CondDropMoreThan, CondRiseMoreThan, CondForecastBelow}

// Alert watches one figure of a report: Measure, the column, in the row
// whose key columns have Cell's values (none: the totals row, or the
// only row), checked on Cron in Timezone for each recipient under their
// own access. A recipient is told once when Condition becomes true for
// them, again after RemindDays while it stays true (0: never), and once
// when it clears.
type Alert struct {
	ID          int64          `json:"id"`
	Name        string         `json:"name"`
	ReportID    string         `json:"report_id"`
	Measure     string         `json:"measure"`
	Cell        map[string]any `json:"cell,omitempty"`
	Figure      string         `json:"figure"` // the measure's (and row's) name in the alert's language, set when saved
	Unit        string         `json:"unit"`   // the measure's type: integer, number, money or percent (values in percent)
	Condition   string         `json:"condition"`
	Value       float64        `json:"value"`
	Cron        string         `json:"cron"`
	Timezone    string         `json:"timezone"`
	WorkingDays bool           `json:"working_days_only"`
	Recipients  []int64        `json:"recipients"`
	RemindDays  int            `json:"remind_days,omitempty"`
	Delivery    string         `json:"delivery"`
	Lang        string         `json:"lang"`
	Enabled     bool           `json:"enabled"`
	OwnerID     int64          `json:"owner_id"`
	NextCheckAt *time.Time     `json:"next_check_at,omitempty"`
	CreatedAt   time.Time      `json:"created_at"`
	UpdatedAt   time.Time      `json:"updated_at"`
}

// AlertInput is the body of POST /alerts (name, report_id, measure,
// condition, value, cron and recipients required) and PATCH
// /alerts/{id} (absent fields stay; "cell": {} clears the cell).
type AlertInput struct {
	Name        *string         `json:"name,omitempty"`
	ReportID    *string         `json:"report_id,omitempty"`
	Measure     *string         `json:"measure,omitempty"`
	Cell        *map[string]any `json:"cell,omitempty"`
	Condition   *string         `json:"condition,omitempty"`
	Value       *float64        `json:"value,omitempty"`
	Cron        *string         `json:"cron,omitempty"`
	Timezone    *string         `json:"timezone,omitempty"`
	WorkingDays *bool           `json:"working_days_only,omitempty"`
	Recipients  *[]int64        `json:"recipients,omitempty"`
	RemindDays  *int            `json:"remind_days,omitempty"`
	Delivery    *string         `json:"delivery,omitempty"`
	Lang        *string         `json:"lang,omitempty"`
	Enabled     *bool           `json:"enabled,omitempty"`
}

func alertDefaults() Alert {
	return Alert{Timezone: "Europe/Moscow", Delivery: DeliveryAuto, Lang: i18n.RU, Enabled: true}
}

func (in AlertInput) apply(a *Alert) {
	for _, s := range []struct {
		dst *string
		v   *string
	}{{&a.Name, in.Name}, {&a.ReportID, in.ReportID}, {&a.Measure, in.Measure}, {&a.Condition, in.Condition},
		{&a.Cron, in.Cron}, {&a.Timezone, in.Timezone}, {&a.Delivery, in.Delivery}, {&a.Lang, in.Lang}} {
		if s.v != nil {
			*s.dst = *s.v
		}
	}
	if in.Cell != nil {
		a.Cell = *in.Cell
		if len(a.Cell) == 0 {
			a.Cell = nil
		}
	}
	if in.Value != nil {
		a.Value = *in.Value
	}
	if in.WorkingDays != nil {
		a.WorkingDays = *in.WorkingDays
	}
	if in.Enabled != nil {
		a.Enabled = *in.Enabled
	}
	if in.Recipients != nil {
		a.Recipients = *in.Recipients
	}
	if in.RemindDays != nil {
		a.RemindDays = *in.RemindDays
	}
}

// validateAlert checks a as a whole with its owner's access: the report
// is one the owner sees, the measure is one of its columns (a number),
// the cell names its row (read once, under the owner's access), the
// condition fits the measure, and every recipient may open the report.
func (svc *Service) validateAlert(ctx context.Context, owner domain.Principal, a *Alert) error {
	for _, check := range []func() error{
		func() error { return domain.CheckName("alert", a.Name) },
		func() error { return svc.checkReport(ctx, owner, a.ReportID) },
		func() error { return checkChoice("condition", a.Condition, Conditions...) },
		func() error { return checkAlertValue(a) },
		func() error { return checkCron(a.Cron, a.Timezone, svc.now()) },
		func() error { return checkChoice("delivery", a.Delivery, DeliveryAuto, DeliveryEmail, DeliveryFolder) },
		func() error { return checkChoice("lang", a.Lang, i18n.Langs...) },
		func() error { return svc.checkAlertRecipients(ctx, a) },
		func() error {
			f, err := svc.readFigure(ctx, a, owner, svc.now())
			a.Figure, a.Unit = f.Name, f.Type
			return err
		},
	} {
		if err := check(); err != nil {
			return err
		}
	}
	if a.Delivery == DeliveryEmail && !svc.MailConfigured() {
		return apperr.Field("delivery", "no_smtp",
			"no mail server is configured (VORONKA_SMTP_URL): deliver to the folder (folder, or auto) instead")
	}
	return nil
}

func checkAlertValue(a *Alert) error {
	switch {
	case a.Measure == "":
		return apperr.Field("measure", "required", "name the column the alert watches")
	case a.RemindDays < 0:
		return apperr.Field("remind_days", "not_positive", "remind after a whole number of days above zero, or leave it out")
	case a.Condition != CondBelow && a.Condition != CondAbove && a.Value <= 0:
		return apperr.Field("value", "not_positive", "a change or a share of the plan is a percentage above zero")
	case a.Condition == CondForecastBelow && a.Measure != "forecast":
		return apperr.Field("measure", "not_forecast", "forecast_below watches a plan-fact report's forecast column")
	}
	return nil
}

// checkAlertRecipients: active users, no repeats, each of whom may open
// the report (their figure is read with their own access).
func (svc *Service) checkAlertRecipients(ctx context.Context, a *Alert) error {
	return svc.eachRecipient(ctx, a.Recipients, func(field string, u domain.Principal) error {
		_, err := svc.library().Entry(ctx, u, a.ReportID)
		if e := apperr.As(err); e != nil && (e.Kind == apperr.NotFound || e.Kind == apperr.Invalid) {
			return apperr.Field(field, "may_not_see", u.Name+" may not open this report")
		}
		return err
	})
}

// figure is one recipient's reading of an alert: the value (nil: no such
// row, or no value in it), the value it is compared with (the previous
// period's, or the plan), and whether the condition holds.
type figure struct {
	Value, Compared *decimal.Decimal
	Holds           bool
	Percent         bool   // the column is a share: values are shown and compared in percent
	Type            string // the column's type (reports.Type…)
	Label           string // the column's name in the alert's language
	Name            string // Label and, with a cell, the row's name («Конверсия из предыдущего шага · Подготовка КП»)
}

// readFigure runs the alert's report at the instant at under p's access
// and reads its figure. Errors on the alert's fields (an unknown measure
// or cell column, several rows and no cell) are 422s naming them.
func (svc *Service) readFigure(ctx context.Context, a *Alert, p domain.Principal, at time.Time) (figure, error) {
	_, def, err := svc.library().Definition(ctx, p, a.ReportID, "", "")
	if err != nil {
		return figure{}, err
	}
	def.Lang = a.Lang
	if a.Condition == CondDropMoreThan || a.Condition == CondRiseMoreThan {
		def.Compare = reports.ComparePreviousPeriod
	}
	res, err := roundOf(ctx).answer(a.ReportID+"\x00"+def.Compare+"\x00"+a.Lang+"\x00"+engine.ScopeKey(p)+"\x00"+at.UTC().String(),
		func() (*reports.Result, error) {
			eng := svc.Engine.Clone()
			eng.Now = func() time.Time { return at }
			return eng.Run(ctx, p, &def)
		})
	if e := apperr.As(err); e != nil && e.Kind == apperr.Invalid && def.Compare != "" {
		return figure{}, apperr.Field("condition", "not_comparable", "this report is not compared with the previous period: "+e.Message)
	} else if err != nil {
		return figure{}, err
	}
	col := columnOf(res, a.Measure)
	if col < 0 || !numeric(res.Columns[col].Type) {
		e := apperr.Field("measure", "unknown_measure", fmt.Sprintf("the report has no number column %q", a.Measure))
		e.Details = map[string]any{"allowed": numberColumns(res)}
		return figure{}, e
	}
	row, err := cellRow(res, a.Cell)
	if err != nil {
		return figure{}, err
	}
	f := figure{Percent: res.Columns[col].Type == reports.TypePercent, Type: res.Columns[col].Type, Label: res.Columns[col].Label}
	f.Name = f.Label
	if name := rowName(res, row); len(a.Cell) > 0 && name != "" {
		f.Name += " · " + name
	}
	if row == nil {
		return f, nil
	}
	f.Value = decimalOf(row[col], f.Percent)
	switch a.Condition {
	case CondDropMoreThan, CondRiseMoreThan:
		if c := columnOf(res, a.Measure+"_prev"); c >= 0 {
			f.Compared = decimalOf(row[c], f.Percent)
		}
	case CondForecastBelow:
		if c := columnOf(res, "plan"); c >= 0 {
			f.Compared = decimalOf(row[c], false)
		}
	}
	f.Holds = holds(a, f)
	return f, nil
}

// holds tests the condition on a reading: no value never holds; a change
// needs a previous value above zero, a share of the plan a plan above
// zero.
func holds(a *Alert, f figure) bool {
	if f.Value == nil {
		return false
	}
	v, limit := *f.Value, decimal.NewFromFloat(a.Value)
	switch a.Condition {
	case CondBelow:
		return v.LessThan(limit)
	case CondAbove:
		return v.GreaterThan(limit)
	}
	if f.Compared == nil || !f.Compared.IsPositive() {
		return false
	}
	pct := v.Sub(*f.Compared).Div(*f.Compared).Mul(decimal.NewFromInt(100)) // change against the previous period
	switch a.Condition {
	case CondDropMoreThan:
		return pct.LessThan(limit.Neg())
	case CondRiseMoreThan:
		return pct.GreaterThan(limit)
	case CondForecastBelow:
		return v.Div(*f.Compared).Mul(decimal.NewFromInt(100)).LessThan(limit)
	}
	return false
}

func columnOf(res *reports.Result, key string) int {
	return slices.IndexFunc(res.Columns, func(c reports.Column) bool { return c.Key == key })
}

func numeric(t string) bool {
	return t == reports.TypeInteger || t == reports.TypeNumber || t == reports.TypeMoney || t == reports.TypePercent
}

func numberColumns(res *reports.Result) []string {
	var out []string
	for _, c := range res.Columns {
		if numeric(c.Type) && !strings.HasSuffix(c.Key, "_prev") && !strings.HasSuffix(c.Key, "_change") {
			out = append(out, c.Key)
		}
	}
	return out
}

// cellRow is the row whose columns have the cell's values (nil: none such
// today, which reads as no value); without a cell the totals row, or the
// only row.
func cellRow(res *reports.Result, cell map[string]any) ([]any, error) {
	if len(cell) == 0 {
		switch {
		case res.Totals != nil:
			return res.Totals, nil
		case len(res.Rows) <= 1:
			if len(res.Rows) == 0 {
				return nil, nil
			}
			return res.Rows[0], nil
		}
		return nil, apperr.Field("cell", "required", "the report has several rows and no totals: name the row (its key columns and values)")
	}
	idx := map[string]int{}
	for k := range cell {
		c := columnOf(res, k)
		if c < 0 {
			return nil, apperr.Field("cell."+k, "unknown_column", fmt.Sprintf("the report has no column %q", k))
		}
		idx[k] = c
	}
	for _, row := range res.Rows {
		match := true
		for k, want := range cell {
			if fmt.Sprint(row[idx[k]]) != fmt.Sprint(want) {
				match = false
				break
			}
		}
		if match {
			return row, nil
		}
	}
	return nil, nil
}

// rowName names a row by its name columns (…_name), else by its other
// text columns ("" for none, or no row).
func rowName(res *reports.Result, row []any) string {
	var names, texts []string
	for i, c := range res.Columns {
		if row == nil || numeric(c.Type) || row[i] == nil {
			continue
		}
		if strings.HasSuffix(c.Key, "_name") {
			names = append(names, fmt.Sprint(row[i]))
		} else {
			texts = append(texts, fmt.Sprint(row[i]))
		}
	}
	if len(names) > 0 {
		return strings.Join(names, " · ")
	}
	return strings.Join(texts, " · ")
}

// decimalOf reads a cell as a number (a share times 100); nil when the
// cell holds none.
func decimalOf(v any, percent bool) *decimal.Decimal {
	if v == nil {
		return nil
	}
	d, err := decimal.NewFromString(fmt.Sprint(v))
	if err != nil {
		return nil
	}
	if percent {
		d = d.Mul(decimal.NewFromInt(100))
	}
	return &d
}

// cellJSON is a cell as stored (NULL for none).
func cellJSON(cell map[string]any) []byte {
	if len(cell) == 0 {
		return nil
	}
	b, _ := json.Marshal(cell)
	return b
}

// round is the answers of one round of checks (TickAlerts): alerts on
// the same report read at the same instant by people who see the same
// rows share one run of it.
type round struct {
	mu  sync.Mutex
	out map[string]*roundAnswer
	sql time.Duration // the reports' ClickHouse time, summed
}

// RoundStats is what the last round of checks (TickAlerts) took: the
// distinct report runs it needed and their time in ClickHouse, summed.
type RoundStats struct {
	Reports int
	SQL     time.Duration
}

// LastRound is the last round's stats.
func (svc *Service) LastRound() RoundStats {
	svc.roundMu.Lock()
	defer svc.roundMu.Unlock()
	return svc.lastRound
}

func (r *round) stats() RoundStats {
	r.mu.Lock()
	defer r.mu.Unlock()
	return RoundStats{Reports: len(r.out), SQL: r.sql}
}

type roundAnswer struct {
	once sync.Once
	res  *reports.Result
	err  error
}

type roundKey struct{}

// withRound is ctx carrying a round's shared answers.
func withRound(ctx context.Context) context.Context {
	return context.WithValue(ctx, roundKey{}, &round{out: map[string]*roundAnswer{}})
}

// roundOf is ctx's round (nil: every answer its own run).
func roundOf(ctx context.Context) *round { r, _ := ctx.Value(roundKey{}).(*round); return r }

// answer is key's answer in the round, computed once by run.
func (r *round) answer(key string, run func() (*reports.Result, error)) (*reports.Result, error) {
	if r == nil {
		return run()
	}
	r.mu.Lock()
	a := r.out[key]
	if a == nil {
		a = &roundAnswer{}
		r.out[key] = a
	}
	r.mu.Unlock()
	a.once.Do(func() {
		a.res, a.err = run()
		if a.res != nil {
			r.mu.Lock()
			r.sql += time.Duration(a.res.Meta.SQLMS) * time.Millisecond
			r.mu.Unlock()
		}
	})
	return a.res, a.err
}
