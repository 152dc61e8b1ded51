package pages

import (
	"context"
	"encoding/json"
	"fmt"
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
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/saved"
	"github.com/voronka/voronka/reports/schedule"
)

// schedulesBody is the schedules page: the list and the new-schedule
// form, or one schedule with its edit form and runs.
type schedulesBody struct {
	Schedules  []scheduleRow
	Open       *scheduleRow
	Runs       []schedule.Run
	Manage     bool              // may create and change schedules
	Form       *scheduleFormData // the form as shown: defaults, the schedule, or what was posted
	ErrField   string            // the form field an error names
	Saved      bool              // the edit was saved
	FormAction string            // where the form posts
	scheduleChoices
}

// scheduleRow is a schedule as a person reads it: the report's name,
// when it runs in words, its zone's city, its recipients' names.
type scheduleRow struct {
	schedule.Schedule
	Report, When, Zone string
	RecipientNames     []string
}

// schedulePeriods are the period overrides the form offers.
var schedulePeriods = []periodChoice{
	{"previous_month", i18n.T("Прошлый месяц", "Previous month")}, {"previous_week", i18n.T("Прошлая неделя", "Previous week")},
	{"yesterday", i18n.T("Вчера", "Yesterday")}, {"this_month", i18n.T("Этот месяц", "This month")},
	{"previous_quarter", i18n.T("Прошлый квартал", "Previous quarter")}, {"previous_year", i18n.T("Прошлый год", "Previous year")},
}

// TimeIn shows an instant as the clock reads it in the zone tz (Moscow
// when tz is unknown); the page names the zone, in words.
func (d *pageData) TimeIn(t time.Time, tz string) string {
	loc, err := time.LoadLocation(tz)
	if err != nil {
		if loc, err = time.LoadLocation(reports.DefaultTZ); err != nil {
			loc = time.UTC
		}
	}
	return i18n.DateTime(d.Lang, t.In(loc))
}

func (s *handlers) schedulesReady() error {
	if s.Schedules == nil {
		return apperr.New(apperr.Unavailable, "schedules_unavailable", "scheduled exports are not configured")
	}
	return nil
}

// schedulesPage lists the schedules the user sees, with the form to add
// one (analysts, directors, admins).
func (s *handlers) schedulesPage(c *fiber.Ctx) error {
	d := s.newPage(c, "schedules")
	if err := s.schedulesReady(); err != nil {
		return err
	}
	return s.renderSchedules(c, d, nil, "")
}

// renderSchedules renders the list with form (nil: a new schedule's
// defaults) and the field an error names.
func (s *handlers) renderSchedules(c *fiber.Ctx, d *pageData, form *scheduleFormData, errField string) error {
	ctx := c.UserContext()
	list, err := s.Schedules.List(ctx, d.User)
	if err != nil {
		return err
	}
	body := &schedulesBody{Manage: saved.MayBuild(d.User), ErrField: errField}
	if body.scheduleChoices, err = s.scheduleChoicesFor(c, d); err != nil {
		return err
	}
	for _, sch := range list {
		body.Schedules = append(body.Schedules, body.row(d.Lang, sch))
	}
	if body.Manage {
		if form == nil {
			form = newScheduleForm()
		}
		body.Form, body.FormAction = form, "/schedules"
		body.Zones = zoneGroups(d.Lang, form.Timezone, time.Now())
	}
	d.Body = body
	return render(c, "schedules", d)
}

// scheduleCreate saves the form (CSRF-checked) through the same service
// as POST /api/v1/schedules; an invalid form comes back as it was
// filled, with the error in the page's language.
func (s *handlers) scheduleCreate(c *fiber.Ctx) error {
	d := s.newPage(c, "schedules")
	if err := s.schedulesReady(); err != nil {
		return err
	}
	if !server.CSRFOK(c) {
		return c.Status(fiber.StatusForbidden).SendString(d.T("csrf"))
	}
	form := readScheduleForm(c)
	in, err := form.input()
	if err == nil {
		var sch schedule.Schedule
		if sch, err = s.Schedules.Create(c.UserContext(), d.User, in); err == nil {
			return c.Redirect("/schedules/"+strconv.FormatInt(sch.ID, 10), fiber.StatusSeeOther)
		}
	}
	field, err := s.formError(c, d, err)
	if err != nil {
		return err
	}
	return s.renderSchedules(c, d, &form, field)
}

// formError puts an application error on the page in its language and
// sets the API's status for it; an internal error is returned as is.
func (s *handlers) formError(c *fiber.Ctx, d *pageData, err error) (string, error) {
	e := apperr.As(err)
	if e == nil || e.Kind == apperr.Internal {
		return "", err
	}
	field := formField(e.Field)
	d.Error = scheduleErrorText(d.Lang, field, e)
	status, _ := s.Classify(c, err)
	c.Status(status)
	return field, nil
}

// scheduleID reads :id; anything but a number is a 404.
func scheduleID(c *fiber.Ctx) (int64, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return 0, apperr.NotFoundf("schedule not found")
	}
	return id, nil
}

// schedulePage shows one schedule, its edit form and its runs.
func (s *handlers) schedulePage(c *fiber.Ctx) error {
	d := s.newPage(c, "schedules")
	if err := s.schedulesReady(); err != nil {
		return err
	}
	return s.renderSchedule(c, d, nil, "")
}

// renderSchedule renders one schedule with form (nil: the schedule as
// saved) and the field an error names.
func (s *handlers) renderSchedule(c *fiber.Ctx, d *pageData, form *scheduleFormData, errField string) error {
	id, err := scheduleID(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	sch, err := s.Schedules.Get(ctx, d.User, id)
	if err != nil {
		return err
	}
	runs, err := s.Schedules.Runs(ctx, d.User, id)
	if err != nil {
		return err
	}
	body := &schedulesBody{Runs: runs, Manage: true, ErrField: errField, Saved: c.Query("saved") == "1" && d.Error == ""}
	if body.scheduleChoices, err = s.scheduleChoicesFor(c, d); err != nil {
		return err
	}
	row := body.row(d.Lang, sch)
	body.Open = &row
	if form == nil {
		form = scheduleFormFrom(sch)
	}
	body.Form, body.FormAction = form, "/schedules/"+strconv.FormatInt(id, 10)
	body.Zones = zoneGroups(d.Lang, form.Timezone, time.Now())
	d.Title, d.Body = sch.Name, body
	return render(c, "schedules", d)
}

// scheduleUpdate saves the edit form (CSRF-checked) as PATCH
// /api/v1/schedules/{id} would; an invalid form comes back as filled.
func (s *handlers) scheduleUpdate(c *fiber.Ctx) error {
	return s.scheduleChange(c, func(form *scheduleFormData) (schedule.Input, error) { return form.input() })
}

// schedulePause pauses or resumes a schedule (enabled=0 or 1).
func (s *handlers) schedulePause(c *fiber.Ctx) error {
	return s.scheduleChange(c, func(*scheduleFormData) (schedule.Input, error) {
		on := c.FormValue("enabled") == "1"
		return schedule.Input{Enabled: &on}, nil
	})
}

// scheduleChange applies the change a form asks for to the schedule of
// :id and returns to its page; an error shows there, with the edit form
// as posted when the change came from it.
func (s *handlers) scheduleChange(c *fiber.Ctx, change func(*scheduleFormData) (schedule.Input, error)) error {
	d := s.newPage(c, "schedules")
	if err := s.schedulesReady(); err != nil {
		return err
	}
	if !server.CSRFOK(c) {
		return c.Status(fiber.StatusForbidden).SendString(d.T("csrf"))
	}
	id, err := scheduleID(c)
	if err != nil {
		return err
	}
	var form *scheduleFormData
	if c.FormValue("repeat") != "" {
		f := readScheduleForm(c)
		form = &f
	}
	in, err := change(form)
	if err == nil {
		if _, err = s.Schedules.Update(c.UserContext(), d.User, id, in); err == nil {
			return c.Redirect("/schedules/"+strconv.FormatInt(id, 10)+"?saved=1", fiber.StatusSeeOther)
		}
	}
	if e := apperr.As(err); e != nil && e.Kind == apperr.NotFound {
		return err
	}
	field, err := s.formError(c, d, err)
	if err != nil {
		return err
	}
	return s.renderSchedule(c, d, form, field)
}

// scheduleDelete removes a schedule and its runs (CSRF-checked).
func (s *handlers) scheduleDelete(c *fiber.Ctx) error {
	return s.scheduleAction(c, "/schedules", func(ctx context.Context, p domain.Principal, id int64) error {
		return s.Schedules.Delete(ctx, p, id)
	})
}

// scheduleRunNow runs a schedule from its page (CSRF-checked).
func (s *handlers) scheduleRunNow(c *fiber.Ctx) error {
	return s.scheduleAction(c, "/schedules/"+c.Params("id"), func(ctx context.Context, p domain.Principal, id int64) error {
		_, err := s.Schedules.RunNow(ctx, p, id)
		return err
	})
}

// scheduleAction does act to the schedule of the address's id, after the
// checks every button on a schedule's page passes (schedules configured,
// the form's CSRF token), and then shows the page at next.
func (s *handlers) scheduleAction(c *fiber.Ctx, next string, act func(ctx context.Context, p domain.Principal, id int64) error) error {
	if err := s.schedulesReady(); err != nil {
		return err
	}
	if !server.CSRFOK(c) {
		return c.Status(fiber.StatusForbidden).SendString(s.newPage(c, "schedules").T("csrf"))
	}
	id, err := scheduleID(c)
	if err != nil {
		return err
	}
	if err := act(c.UserContext(), server.Principal(c), id); err != nil {
		return err
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

// usersByID indexes users.
func usersByID(us []crmcore.User) map[int64]string {
	out := make(map[int64]string, len(us))
	for _, u := range us {
		out[u.ID] = u.Name
	}
	return out
}

// alertsBody is the alerts page: the list and the new-alert form, or one
// alert with its checks.
type alertsBody struct {
	Alerts     []alertRow
	Open       *alertRow
	Runs       []alertRunRow
	Manage     bool
	Form       *alertFormData
	ErrField   string
	FormAction string
	Measures   []option // the chosen report's number columns
	Cells      []option // its rows, by their key (JSON), "" the totals
	Conditions []option
	scheduleChoices
}

// alertRow is an alert as a person reads it.
type alertRow struct {
	schedule.Alert
	Report, Rule, When, Zone string
	RecipientNames           []string
}

// alertRunRow is one recipient's reading in a check, as shown.
type alertRunRow struct {
	At, Who, Value, Compared, Event string
	Holds                           bool
}

// alertFormData is the alert form's values.
type alertFormData struct {
	Name, ReportID, Measure, Cell, Condition, Value, Delivery, Lang, Timezone string
	RemindDays                                                                string
	Picker                                                                    picker
	WorkingDays                                                               bool
	Recipients                                                                []int64
}

// HasRecipient reports whether user id is among the recipients (templates).
func (f *alertFormData) HasRecipient(id int64) bool { return slices.Contains(f.Recipients, id) }

// PerRecipient: an alert always reads each recipient's own figure (the
// shared picker template asks).
func (f *alertFormData) PerRecipient() bool { return true }

func readAlertForm(c *fiber.Ctx) alertFormData {
	f := alertFormData{Name: c.FormValue("name"), ReportID: c.FormValue("report_id"), Measure: c.FormValue("measure"),
		Cell: c.FormValue("cell"), Condition: c.FormValue("condition"), Value: c.FormValue("value"),
		Delivery: c.FormValue("delivery"), Lang: c.FormValue("lang"), Timezone: reports.DefaultTZ, RemindDays: c.FormValue("remind_days"),
		WorkingDays: c.FormValue("working_days_only") == "on", Picker: formPicker(c)}
	f.Recipients, _ = formRecipients(c)
	return f
}

// input is the form as the service's input.
func (f *alertFormData) input() (schedule.AlertInput, error) {
	cron, workdays, err := f.Picker.cron()
	if err != nil {
		return schedule.AlertInput{}, err
	}
	in := schedule.AlertInput{Name: &f.Name, ReportID: &f.ReportID, Measure: &f.Measure, Condition: &f.Condition, Cron: &cron,
		Timezone: &f.Timezone, Delivery: &f.Delivery, Lang: &f.Lang, Recipients: ptrTo(slices.Clone(f.Recipients))}
	if in.Recipients == nil || *in.Recipients == nil {
		in.Recipients = ptrTo([]int64{})
	}
	working := f.WorkingDays || workdays
	in.WorkingDays = &working
	if strings.TrimSpace(f.Value) != "" {
		v, err := strconv.ParseFloat(strings.NewReplacer(" ", "", "\u00a0", "", ",", ".").Replace(strings.TrimSpace(f.Value)), 64)
		if err != nil {
			return in, apperr.Field("value", "invalid", "a number, such as 60 or 1 500,50")
		}
		in.Value = &v
	}
	if f.RemindDays != "" {
		n, err := strconv.Atoi(strings.TrimSpace(f.RemindDays))
		if err != nil {
			return in, apperr.Field("remind_days", "invalid", "a whole number of days")
		}
		in.RemindDays = &n
	}
	if f.Cell != "" {
		var cell map[string]any
		if err := json.Unmarshal([]byte(f.Cell), &cell); err != nil {
			return in, apperr.Field("cell", "invalid", "pick the row from the list")
		}
		in.Cell = &cell
	}
	return in, nil
}

func ptrTo[T any](v T) *T { return &v }

// alertConditionNames name the conditions in the page's language.
var alertConditionNames = map[string]i18n.Text{
	schedule.CondBelow:         i18n.T("ниже", "below"),
	schedule.CondAbove:         i18n.T("выше", "above"),
	schedule.CondDropMoreThan:  i18n.T("снизилось к предыдущему периоду более чем на, %", "fell against the previous period by more than, %"),
	schedule.CondRiseMoreThan:  i18n.T("выросло к предыдущему периоду более чем на, %", "rose against the previous period by more than, %"),
	schedule.CondForecastBelow: i18n.T("прогноз ниже, % плана", "forecast below, % of the plan"),
}

// alertEvents name what a recipient was told.
var alertEvents = map[string]i18n.Text{
	schedule.EventFired: i18n.T("сработало", "fired"), schedule.EventReminded: i18n.T("напоминание", "reminder"),
	schedule.EventCleared: i18n.T("отбой", "cleared"), schedule.EventNone: i18n.T("—", "—"),
}

// alertsPage lists the alerts the user sees with the form to add one;
// ?report= fills the form's lists of that report's figures.
func (s *handlers) alertsPage(c *fiber.Ctx) error {
	d := s.newPage(c, "alerts")
	if err := s.schedulesReady(); err != nil {
		return err
	}
	form := &alertFormData{ReportID: c.Query("report"), Condition: schedule.CondBelow, Delivery: schedule.DeliveryAuto, Lang: d.Lang,
		Timezone: reports.DefaultTZ, Picker: picker{Repeat: repeatWorkdays, Time: "09:00", Day: 1}, Recipients: []int64{d.User.UserID}}
	return s.renderAlerts(c, d, form, "")
}

func (s *handlers) renderAlerts(c *fiber.Ctx, d *pageData, form *alertFormData, errField string) error {
	ctx := c.UserContext()
	list, err := s.Schedules.Alerts(ctx, d.User)
	if err != nil {
		return err
	}
	body := &alertsBody{Manage: saved.MayBuild(d.User), ErrField: errField, Form: form, FormAction: "/alerts"}
	if body.scheduleChoices, err = s.scheduleChoicesFor(c, d); err != nil {
		return err
	}
	for _, a := range list {
		body.Alerts = append(body.Alerts, body.alertRow(d.Lang, a))
	}
	for _, k := range schedule.Conditions {
		body.Conditions = append(body.Conditions, option{k, alertConditionNames[k].In(d.Lang)})
	}
	if form.ReportID == "" && len(body.Reports) > 0 {
		form.ReportID = body.Reports[0].Value
	}
	if body.Manage && form.ReportID != "" {
		if err := s.alertFigures(c, d, body, form.ReportID); err != nil {
			return err
		}
	}
	d.Body = body
	return render(c, "alerts", d)
}

// alertFigures fills the form's lists from one run of the report as the
// user sees it: its number columns and its rows (each by the values of
// its key columns; the totals row first when it has one).
func (s *handlers) alertFigures(c *fiber.Ctx, d *pageData, body *alertsBody, reportID string) error {
	_, def, err := s.Saved.Definition(c.UserContext(), d.User, reportID, "", "")
	if err != nil {
		return nil // not one the user sees: the lists stay empty, saving says why
	}
	def.Lang = d.Lang
	res, err := s.Reports.Run(c.UserContext(), d.User, &def)
	if err != nil {
		return nil
	}
	var keys []int
	for i, col := range res.Columns {
		switch col.Type {
		case reports.TypeInteger, reports.TypeNumber, reports.TypeMoney, reports.TypePercent:
			body.Measures = append(body.Measures, option{col.Key, col.Label})
		default:
			keys = append(keys, i)
		}
	}
	if res.Totals != nil || len(res.Rows) <= 1 {
		body.Cells = append(body.Cells, option{"", d.T("alert_totals")})
	}
	codes := slices.DeleteFunc(slices.Clone(keys), func(i int) bool { return strings.HasSuffix(res.Columns[i].Key, "_name") })
	if len(codes) == 0 {
		codes = keys // a row named by its name alone
	}
	for _, row := range res.Rows {
		cell, label := map[string]any{}, []string{}
		for _, i := range codes {
			cell[res.Columns[i].Key] = row[i]
		}
		for _, i := range keys {
			if !strings.HasSuffix(res.Columns[i].Key, "_name") || len(keys) == 1 {
				label = append(label, fmt.Sprint(row[i]))
			}
		}
		for _, i := range keys { // a name column reads better than its code
			if strings.HasSuffix(res.Columns[i].Key, "_name") && row[i] != nil {
				label = []string{fmt.Sprint(row[i])}
			}
		}
		if len(keys) > 0 {
			b, _ := json.Marshal(cell)
			body.Cells = append(body.Cells, option{string(b), strings.Join(label, " · ")})
		}
	}
	return nil
}

// alertRow is a as the page shows it.
func (ch scheduleChoices) alertRow(lang string, a schedule.Alert) alertRow {
	sr := ch.row(lang, schedule.Schedule{ReportID: a.ReportID, Cron: a.Cron, WorkingDays: a.WorkingDays, Timezone: a.Timezone, Recipients: a.Recipients})
	rule := a.Rule(lang)
	if a.Figure != "" {
		rule = a.Figure + ": " + rule
	}
	return alertRow{Alert: a, Report: sr.Report, When: sr.When, Zone: sr.Zone, RecipientNames: sr.RecipientNames, Rule: rule}
}

// alertCreate saves the form (CSRF-checked) through the service behind
// POST /api/v1/alerts; an invalid form comes back as filled.
func (s *handlers) alertCreate(c *fiber.Ctx) error {
	d := s.newPage(c, "alerts")
	if err := s.schedulesReady(); err != nil {
		return err
	}
	if !server.CSRFOK(c) {
		return c.Status(fiber.StatusForbidden).SendString(d.T("csrf"))
	}
	form := readAlertForm(c)
	in, err := form.input()
	if err == nil {
		var a schedule.Alert
		if a, err = s.Schedules.CreateAlert(c.UserContext(), d.User, in); err == nil {
			return c.Redirect("/alerts/"+strconv.FormatInt(a.ID, 10), fiber.StatusSeeOther)
		}
	}
	e := apperr.As(err)
	if e == nil || e.Kind == apperr.Internal {
		return err
	}
	field := formField(e.Field)
	if strings.HasPrefix(field, "cell") {
		field = "cell"
	}
	d.Error = scheduleErrorText(d.Lang, field, e)
	status, _ := s.Classify(c, err)
	c.Status(status)
	return s.renderAlerts(c, d, &form, field)
}

// alertPage is one alert with its checks, newest first.
func (s *handlers) alertPage(c *fiber.Ctx) error {
	d := s.newPage(c, "alerts")
	if err := s.schedulesReady(); err != nil {
		return err
	}
	id, err := scheduleID(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	a, err := s.Schedules.Alert(ctx, d.User, id)
	if err != nil {
		return err
	}
	runs, err := s.Schedules.AlertRuns(ctx, d.User, id)
	if err != nil {
		return err
	}
	body := &alertsBody{Manage: saved.MayBuild(d.User)}
	if body.scheduleChoices, err = s.scheduleChoicesFor(c, d); err != nil {
		return err
	}
	row := body.alertRow(d.Lang, a)
	body.Open = &row
	show := func(v *float64, unit string) string {
		if v == nil {
			return "—"
		}
		return schedule.FormatValue(d.Lang, unit, *v)
	}
	compared := a.Unit // the previous period's figure, or (forecast_below) the plan's
	if a.Condition == schedule.CondForecastBelow {
		compared = reports.TypeNumber
	}
	for _, r := range runs {
		for _, ch := range r.Checks {
			body.Runs = append(body.Runs, alertRunRow{At: d.TimeIn(r.ScheduledFor, a.Timezone), Who: body.userNames[ch.UserID],
				Value: show(ch.Value, a.Unit), Compared: show(ch.Compared, compared), Holds: ch.Holds, Event: alertEvents[ch.Event].In(d.Lang)})
		}
	}
	d.Body = body
	return render(c, "alerts", d)
}

// alertCheckNow checks an alert from its page (CSRF-checked).
func (s *handlers) alertCheckNow(c *fiber.Ctx) error {
	return s.scheduleAction(c, "/alerts/"+c.Params("id"), func(ctx context.Context, p domain.Principal, id int64) error {
		_, err := s.Schedules.CheckAlert(ctx, p, id)
		return err
	})
}

// alertDelete removes an alert and its checks (CSRF-checked).
func (s *handlers) alertDelete(c *fiber.Ctx) error {
	return s.scheduleAction(c, "/alerts", func(ctx context.Context, p domain.Principal, id int64) error {
		return s.Schedules.DeleteAlert(ctx, p, id)
	})
}
