package pages

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/voronka/voronka/internal/apperr"
)

// The schedules form's picker: how often (repeat), on which days, at
// what time; it writes the cron expression the schedule stores, and
// reads one back to fill the form. An expression the picker cannot show
// is "custom", edited as cron text.
const (
	repeatDaily    = "daily"
	repeatWeekly   = "weekly"
	repeatMonthly  = "monthly"
	repeatWorkdays = "workdays" // Monday to Friday, days off of the calendar skipped
	repeatCustom   = "custom"
)

var repeats = []string{repeatDaily, repeatWorkdays, repeatWeekly, repeatMonthly, repeatCustom}

// weekdays are the picker's days, Monday first, as cron numbers
// (0 is Sunday).
var weekdays = []int{1, 2, 3, 4, 5, 6, 0}

// picker is the when-part of the schedules form.
type picker struct {
	Repeat string
	Time   string // HH:MM
	Days   []int  // weekly: cron day numbers
	Day    int    // monthly: day of the month, 1–31
	Cron   string // custom: the expression as typed
}

// cron writes p as a cron expression, and whether the schedule must skip
// days off (working days); errors name the form field at fault.
func (p picker) cron() (string, bool, error) {
	if p.Repeat == repeatCustom {
		return strings.TrimSpace(p.Cron), false, nil
	}
	h, m, ok := parseClock(p.Time)
	if !ok {
		return "", false, apperr.Field("time", "invalid_time", "want the time as HH:MM")
	}
	at := fmt.Sprintf("%d %d", m, h)
	switch p.Repeat {
	case repeatDaily:
		return at + " * * *", false, nil
	case repeatWorkdays:
		return at + " * * 1-5", true, nil
	case repeatWeekly:
		days := slices.Compact(slices.Sorted(slices.Values(p.Days)))
		if len(days) == 0 || days[0] < 0 || days[len(days)-1] > 6 {
			return "", false, apperr.Field("days", "no_days", "pick at least one day of the week")
		}
		parts := make([]string, len(days))
		for i, d := range days {
			parts[i] = strconv.Itoa(d)
		}
		return at + " * * " + strings.Join(parts, ","), false, nil
	case repeatMonthly:
		if p.Day < 1 || p.Day > 31 {
			return "", false, apperr.Field("day", "invalid_day", "the day of the month is 1 to 31")
		}
		return at + " " + strconv.Itoa(p.Day) + " * *", false, nil
	}
	return "", false, apperr.Field("repeat", "invalid_choice", "pick how often")
}

// parseClock reads HH:MM.
func parseClock(s string) (h, m int, ok bool) {
	hs, ms, found := strings.Cut(strings.TrimSpace(s), ":")
	h, err1 := strconv.Atoi(hs)
	m, err2 := strconv.Atoi(ms)
	return h, m, found && err1 == nil && err2 == nil && h >= 0 && h < 24 && m >= 0 && m < 60
}

// readPicker is the picker that writes expr (with the schedule's
// working-days flag), or a custom one.
func readPicker(expr string, workingDays bool) picker {
	custom := picker{Repeat: repeatCustom, Cron: expr, Time: "09:00", Day: 1}
	f := strings.Fields(expr)
	if len(f) != 5 || f[3] != "*" {
		return custom
	}
	m, err1 := strconv.Atoi(f[0])
	h, err2 := strconv.Atoi(f[1])
	if err1 != nil || err2 != nil || m < 0 || m > 59 || h < 0 || h > 23 {
		return custom
	}
	p := picker{Time: fmt.Sprintf("%02d:%02d", h, m), Day: 1, Cron: expr}
	dom, dow := f[2], f[4]
	switch {
	case dom == "*" && dow == "*":
		p.Repeat = repeatDaily
	case dom == "*" && dow == "1-5" && workingDays:
		p.Repeat = repeatWorkdays
	case dom == "*":
		days, ok := cronDays(dow)
		if !ok {
			return custom
		}
		p.Repeat, p.Days = repeatWeekly, days
	case dow == "*":
		d, err := strconv.Atoi(dom)
		if err != nil || d < 1 || d > 31 {
			return custom
		}
		p.Repeat, p.Day = repeatMonthly, d
	default:
		return custom
	}
	return p
}

// cronDays reads a day-of-week field of numbers and ranges (1-5,0,6;
// 7 is Sunday too).
func cronDays(field string) ([]int, bool) {
	var out []int
	for _, part := range strings.Split(field, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(lo)
		b := a
		if isRange && err == nil {
			b, err = strconv.Atoi(hi)
		}
		if err != nil || a < 0 || b > 7 || a > b {
			return nil, false
		}
		for d := a; d <= b; d++ {
			if !slices.Contains(out, d%7) {
				out = append(out, d%7)
			}
		}
	}
	return out, true
}

// HasDay reports whether the weekly picker has cron day d (templates).
func (p picker) HasDay(d int) bool { return slices.Contains(p.Days, d) }

// describe says when a schedule runs, in lang: "по понедельникам и
// средам в 08:30"; a custom expression is shown as it is.
func describe(lang, expr string, workingDays bool) string {
	t := messages.Translator(lang)
	p := readPicker(expr, workingDays)
	var s string
	switch p.Repeat {
	case repeatDaily:
		s = fmt.Sprintf(t("sch_desc_daily"), p.Time)
	case repeatWorkdays:
		return fmt.Sprintf(t("sch_desc_workdays"), p.Time)
	case repeatWeekly:
		names := []string{}
		for _, d := range weekdays {
			if p.HasDay(d) {
				names = append(names, t("sch_day_"+strconv.Itoa(d)))
			}
		}
		s = fmt.Sprintf(t("sch_desc_weekly"), strings.Join(names, ", "), p.Time)
	case repeatMonthly:
		s = fmt.Sprintf(t("sch_desc_monthly"), p.Day, p.Time)
	default:
		s = fmt.Sprintf(t("sch_desc_custom"), expr)
	}
	if workingDays {
		s += t("sch_desc_working_only")
	}
	return s
}
