package pages

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/saved"
	"github.com/voronka/voronka/reports/schedule"
)

// schedulesBody is the schedules page: the list and the form, or one
// schedule with its runs.
type schedulesBody struct {
	Schedules           []schedule.Schedule
	Open                *schedule.Schedule
	Runs                []schedule.Run
	Manage              bool // may create schedules
	Reports             []saved.Entry
	Users               []crmcore.User
	Periods, Deliveries []option
}

// schedulePeriods are the period overrides the form offers.
var schedulePeriods = []periodChoice{
	{"previous_month", i18n.T("Прошлый месяц", "Previous month")}, {"previous_week", i18n.T("Прошлая неделя", "Previous week")},
	{"yesterday", i18n.T("Вчера", "Yesterday")}, {"this_month", i18n.T("Этот месяц", "This month")},
	{"previous_quarter", i18n.T("Прошлый квартал", "Previous quarter")}, {"previous_year", i18n.T("Прошлый год", "Previous year")},
}

// Time shows an instant in Moscow time.
func (d *pageData) Time(t time.Time) string {
	loc, err := time.LoadLocation(reports.DefaultTZ)
	if err != nil {
		loc = time.UTC
	}
	return t.In(loc).Format("02.01.2006 15:04 MST")
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
	return s.renderSchedules(c, d)
}

func (s *handlers) renderSchedules(c *fiber.Ctx, d *pageData) error {
	ctx := c.UserContext()
	list, err := s.Schedules.List(ctx, d.User)
	if err != nil {
		return err
	}
	body := &schedulesBody{Schedules: list, Manage: saved.MayBuild(d.User)}
	if body.Manage {
		if body.Reports, err = s.Saved.Entries(ctx, d.User); err != nil {
			return err
		}
		if body.Users, err = s.Store.ListUsers(ctx); err != nil {
			return err
		}
		for _, p := range schedulePeriods {
			body.Periods = append(body.Periods, option{p.Key, p.Label.In(d.Lang)})
		}
		for _, v := range []string{schedule.DeliveryAuto, schedule.DeliveryEmail, schedule.DeliveryFolder} {
			body.Deliveries = append(body.Deliveries, option{v, d.T("delivery_" + v)})
		}
	}
	d.Body = body
	return render(c, "schedules", d)
}

// scheduleCreate saves the form (CSRF-checked) through the same service
// as POST /api/v1/schedules; an invalid form comes back with the error.
func (s *handlers) scheduleCreate(c *fiber.Ctx) error {
	d := s.newPage(c, "schedules")
	if err := s.schedulesReady(); err != nil {
		return err
	}
	if !server.CSRFOK(c) {
		return c.Status(fiber.StatusForbidden).SendString(d.T("csrf"))
	}
	in, err := scheduleForm(c)
	if err == nil {
		var sch schedule.Schedule
		if sch, err = s.Schedules.Create(c.UserContext(), d.User, in); err == nil {
			return c.Redirect("/schedules/"+strconv.FormatInt(sch.ID, 10), fiber.StatusSeeOther)
		}
	}
	e := apperr.As(err)
	if e == nil || e.Kind == apperr.Internal {
		return err
	}
	d.Error = e.Message
	if e.Field != "" {
		d.Error = e.Field + ": " + e.Message
	}
	status, _ := s.Classify(c, err) // the API's status for e
	c.Status(status)
	return s.renderSchedules(c, d)
}

// scheduleForm reads the form into the API's input.
func scheduleForm(c *fiber.Ctx) (schedule.Input, error) {
	str := func(k string) *string { v := c.FormValue(k); return &v }
	on := func(k string) *bool { v := c.FormValue(k) == "on"; return &v }
	in := schedule.Input{Name: str("name"), ReportID: str("report_id"), Cron: str("cron"), Timezone: str("timezone"),
		Period: str("period"), PerRecipient: on("per_recipient"), WorkingDays: on("working_days_only"),
		Delivery: str("delivery"), Lang: str("lang")}
	var ids []int64
	for _, v := range c.Context().PostArgs().PeekMulti("recipients") {
		n, err := strconv.ParseInt(string(v), 10, 64)
		if err != nil {
			return in, apperr.Field("recipients", "invalid", "pick recipients from the list")
		}
		ids = append(ids, n)
	}
	in.Recipients = &ids
	return in, nil
}

// schedulePage shows one schedule and its runs.
func (s *handlers) schedulePage(c *fiber.Ctx) error {
	d := s.newPage(c, "schedules")
	if err := s.schedulesReady(); err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return apperr.NotFoundf("schedule not found")
	}
	sch, err := s.Schedules.Get(c.UserContext(), d.User, id)
	if err != nil {
		return err
	}
	runs, err := s.Schedules.Runs(c.UserContext(), d.User, id)
	if err != nil {
		return err
	}
	d.Title = sch.Name
	d.Body = &schedulesBody{Open: &sch, Runs: runs}
	return render(c, "schedules", d)
}

// scheduleRunNow runs a schedule from its page (CSRF-checked).
func (s *handlers) scheduleRunNow(c *fiber.Ctx) error {
	if err := s.schedulesReady(); err != nil {
		return err
	}
	if !server.CSRFOK(c) {
		return c.Status(fiber.StatusForbidden).SendString(s.newPage(c, "schedules").T("csrf"))
	}
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return apperr.NotFoundf("schedule not found")
	}
	if _, err := s.Schedules.RunNow(c.UserContext(), server.Principal(c), id); err != nil {
		return err
	}
	return c.Redirect("/schedules/"+c.Params("id"), fiber.StatusSeeOther)
}
