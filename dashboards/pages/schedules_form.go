package pages

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/schedule"
)

// scheduleFormData is the schedules form's values: a new schedule's
// defaults, a saved schedule, or what was posted (shown again as typed
// after an error).
type scheduleFormData struct {
	Name, ReportID, Timezone, Period, Delivery, Lang string
	Picker                                           picker
	WorkingDays, PerRecipient                        bool
	Recipients                                       []int64
	badRecipients                                    bool // a recipient that is not a number
}

// HasRecipient reports whether user id is among the recipients (templates).
func (f *scheduleFormData) HasRecipient(id int64) bool { return slices.Contains(f.Recipients, id) }

// newScheduleForm is a new schedule's form: monthly on the 1st at 09:00,
// Moscow time, each recipient with their own access.
func newScheduleForm() *scheduleFormData {
	return &scheduleFormData{Timezone: reports.DefaultTZ, Delivery: schedule.DeliveryAuto, Lang: i18n.RU, PerRecipient: true,
		Picker: picker{Repeat: repeatMonthly, Time: "09:00", Day: 1}}
}

// scheduleFormFrom is the edit form of a saved schedule.
func scheduleFormFrom(s schedule.Schedule) *scheduleFormData {
	p := readPicker(s.Cron, s.WorkingDays)
	return &scheduleFormData{Name: s.Name, ReportID: s.ReportID, Timezone: s.Timezone, Period: s.Period, Delivery: s.Delivery,
		Lang: s.Lang, Picker: p, WorkingDays: s.WorkingDays && p.Repeat != repeatWorkdays, PerRecipient: s.PerRecipient,
		Recipients: s.Recipients}
}

// readScheduleForm reads a posted form as it was filled.
func readScheduleForm(c *fiber.Ctx) scheduleFormData {
	f := scheduleFormData{Name: c.FormValue("name"), ReportID: c.FormValue("report_id"), Timezone: c.FormValue("timezone"),
		Period: c.FormValue("period"), Delivery: c.FormValue("delivery"), Lang: c.FormValue("lang"),
		WorkingDays: c.FormValue("working_days_only") == "on", PerRecipient: c.FormValue("per_recipient") == "on",
		Picker: formPicker(c)}
	f.Recipients, f.badRecipients = formRecipients(c)
	return f
}

// formPicker reads the schedule picker of a posted form.
func formPicker(c *fiber.Ctx) picker {
	p := picker{Repeat: c.FormValue("repeat"), Time: c.FormValue("time"), Cron: c.FormValue("cron")}
	p.Day, _ = strconv.Atoi(c.FormValue("day"))
	for _, v := range c.Context().PostArgs().PeekMulti("days") {
		if n, err := strconv.Atoi(string(v)); err == nil {
			p.Days = append(p.Days, n)
		}
	}
	return p
}

// formRecipients reads the recipients of a posted form; bad says one was
// not a number.
func formRecipients(c *fiber.Ctx) (ids []int64, bad bool) {
	for _, v := range c.Context().PostArgs().PeekMulti("recipients") {
		n, err := strconv.ParseInt(string(v), 10, 64)
		if err != nil {
			bad = true
			continue
		}
		ids = append(ids, n)
	}
	return ids, bad
}

// input is the form as the service's input: every field set, the
// picker's cron written out.
func (f *scheduleFormData) input() (schedule.Input, error) {
	cron, workdays, err := f.Picker.cron()
	if err != nil {
		return schedule.Input{}, err
	}
	if f.badRecipients {
		return schedule.Input{}, apperr.Field("recipients", "invalid", "pick recipients from the list")
	}
	working := f.WorkingDays || workdays
	recipients := slices.Clone(f.Recipients)
	if recipients == nil {
		recipients = []int64{}
	}
	return schedule.Input{Name: &f.Name, ReportID: &f.ReportID, Cron: &cron, Timezone: &f.Timezone, Period: &f.Period,
		Recipients: &recipients, PerRecipient: &f.PerRecipient, WorkingDays: &working, Delivery: &f.Delivery, Lang: &f.Lang}, nil
}

// weekday is a day of the weekly picker: its cron number and name.
type weekday struct {
	Day   int
	Label string
}

// deliveryChoice is one delivery <option>, possibly shown but not
// selectable (mail without an SMTP server).
type deliveryChoice struct {
	Value, Label string
	Disabled     bool
}

// scheduleChoices are the form's lists and what the rows need to name
// reports and people.
type scheduleChoices struct {
	Reports          []option
	Users            []crmcore.User
	Periods, Repeats []option
	Weekdays         []weekday
	Days             []int
	Deliveries       []deliveryChoice
	Zones            []zoneGroup
	MailOff          bool // no SMTP server: mail cannot be chosen
	reportNames      map[string]string
	userNames        map[int64]string
}

// scheduleChoicesFor reads the reports and users the page names, in the
// page's language.
func (s *handlers) scheduleChoicesFor(c *fiber.Ctx, d *pageData) (scheduleChoices, error) {
	ch := scheduleChoices{MailOff: !s.Schedules.MailConfigured(), reportNames: map[string]string{}}
	entries, err := s.Saved.Entries(c.UserContext(), d.User)
	if err != nil {
		return ch, err
	}
	for _, e := range entries {
		name := i18n.T(e.Name, e.NameEN).In(d.Lang)
		ch.Reports = append(ch.Reports, option{e.ID, name})
		ch.reportNames[e.ID] = name
	}
	if ch.Users, err = s.Store.ListUsers(c.UserContext()); err != nil {
		return ch, err
	}
	ch.userNames = usersByID(ch.Users)
	for _, p := range schedulePeriods {
		ch.Periods = append(ch.Periods, option{p.Key, p.Label.In(d.Lang)})
	}
	for _, r := range repeats {
		ch.Repeats = append(ch.Repeats, option{r, d.T("repeat_" + r)})
	}
	for _, wd := range weekdays {
		ch.Weekdays = append(ch.Weekdays, weekday{wd, d.T("sch_day_" + strconv.Itoa(wd))})
	}
	for day := 1; day <= 31; day++ {
		ch.Days = append(ch.Days, day)
	}
	for _, v := range []string{schedule.DeliveryAuto, schedule.DeliveryEmail, schedule.DeliveryFolder} {
		label, off := d.T("delivery_"+v), false
		if ch.MailOff && v != schedule.DeliveryFolder {
			label, off = d.T("delivery_"+v+"_no_mail"), v == schedule.DeliveryEmail
		}
		ch.Deliveries = append(ch.Deliveries, deliveryChoice{v, label, off})
	}
	return ch, nil
}

// row is sch as the page shows it in lang.
func (ch scheduleChoices) row(lang string, sch schedule.Schedule) scheduleRow {
	r := scheduleRow{Schedule: sch, When: describe(lang, sch.Cron, sch.WorkingDays), Zone: zoneCity(sch.Timezone, lang)}
	if r.Report = ch.reportNames[sch.ReportID]; r.Report == "" {
		r.Report = fmt.Sprintf(messages.T(lang, "sch_report_n"), sch.ReportID)
	}
	for _, id := range sch.Recipients {
		name := ch.userNames[id]
		if name == "" {
			name = fmt.Sprintf(messages.T(lang, "sch_user_n"), id)
		}
		r.RecipientNames = append(r.RecipientNames, name)
	}
	return r
}

// formField is the form field an error's field names: the picker's
// parts and cron are "when", recipients[2] is "recipients".
func formField(field string) string {
	field, _, _ = strings.Cut(field, "[")
	switch field {
	case "cron", "time", "days", "day", "repeat":
		return "when"
	}
	return field
}

// scheduleErrorText is an error on the form in lang: the field's label
// and what is wrong, by the error's code.
func scheduleErrorText(lang, field string, e *apperr.Error) string {
	what := errorMessage(lang, e)
	label := messages.T(lang, "sch_field_"+field)
	if label == "sch_field_"+field {
		return what
	}
	return label + ": " + i18n.LowerFirst(what)
}
