package pages

import (
	"testing"

	"github.com/voronka/voronka/internal/apperr"
)

// TestPickerWritesAndReadsCron: each repeat writes the cron a person would
// write by hand, reads back into the same picker, and is described in
// words; what the picker cannot show stays a custom expression.
func TestPickerWritesAndReadsCron(t *testing.T) {
	for _, c := range []struct {
		p        picker
		cron     string
		workdays bool
		ru, en   string
		errField string
	}{
		{p: picker{Repeat: repeatDaily, Time: "07:05"}, cron: "5 7 * * *", ru: "каждый день в 07:05", en: "every day at 07:05"},
		{p: picker{Repeat: repeatWorkdays, Time: "9:00"}, cron: "0 9 * * 1-5", workdays: true, ru: "по рабочим дням в 09:00", en: "on working days at 09:00"},
		{p: picker{Repeat: repeatWeekly, Time: "18:30", Days: []int{5, 1, 0, 1}}, cron: "30 18 * * 0,1,5", ru: "по дням: пн, пт, вс, в 18:30", en: "on Mon, Fri, Sun at 18:30"},
		{p: picker{Repeat: repeatMonthly, Time: "00:00", Day: 31}, cron: "0 0 31 * *", ru: "31-го числа каждого месяца в 00:00", en: "on day 31 of every month at 00:00"},
		{p: picker{Repeat: repeatCustom, Cron: " */15 9-18 * * 1-5 "}, cron: "*/15 9-18 * * 1-5", ru: "по выражению cron */15 9-18 * * 1-5", en: "by the cron expression */15 9-18 * * 1-5"},
		{p: picker{Repeat: repeatWeekly, Time: "09:00"}, errField: "days"},
		{p: picker{Repeat: repeatWeekly, Time: "09:00", Days: []int{7}}, errField: "days"},
		{p: picker{Repeat: repeatMonthly, Time: "09:00", Day: 32}, errField: "day"},
		{p: picker{Repeat: repeatDaily, Time: "24:00"}, errField: "time"},
		{p: picker{Repeat: repeatDaily, Time: "9"}, errField: "time"},
		{p: picker{Repeat: "hourly", Time: "09:00"}, errField: "repeat"},
	} {
		cron, workdays, err := c.p.cron()
		if c.errField != "" {
			if e := apperr.As(err); e == nil || e.Field != c.errField {
				t.Errorf("%+v: %v, want an error on %s", c.p, err, c.errField)
			}
			continue
		}
		if err != nil || cron != c.cron || workdays != c.workdays {
			t.Errorf("%+v: %q %v %v, want %q %v", c.p, cron, workdays, err, c.cron, c.workdays)
			continue
		}
		back := readPicker(cron, workdays)
		if back.Repeat != c.p.Repeat {
			t.Errorf("%q reads back as %s, want %s", cron, back.Repeat, c.p.Repeat)
		}
		if ru, en := describe("ru", cron, workdays), describe("en", cron, workdays); ru != c.ru || en != c.en {
			t.Errorf("%q reads %q / %q, want %q / %q", cron, ru, en, c.ru, c.en)
		}
	}
	if got := describe("ru", "0 9 * * 1-5", false); got != "по дням: пн, вт, ср, чт, пт, в 09:00" {
		t.Errorf("Monday to Friday without the calendar: %q", got)
	}
	if got := describe("ru", "0 9 1 * *", true); got != "1-го числа каждого месяца в 09:00, только в рабочие дни" {
		t.Errorf("monthly on working days: %q", got)
	}
	for _, expr := range []string{"@daily", "0 9 1 1 *", "0 9 1 * 1", "0 9 * * MON", "0 */2 * * *"} {
		if p := readPicker(expr, false); p.Repeat != repeatCustom || p.Cron != expr {
			t.Errorf("%q reads as %+v, want custom", expr, p)
		}
	}
}
