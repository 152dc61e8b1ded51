package pages

import (
	"context"
	"strconv"
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
