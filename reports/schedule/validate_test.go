package schedule_test

import (
	"context"
	"testing"
	"time"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/reports/schedule"
)

// TestBadSchedulesAreRefused: each bad input is a 422 naming the field
// (403 for a manager) and no schedule is saved.
func TestBadSchedulesAreRefused(t *testing.T) {
	e := newEnv(t)
	svc := e.service(t, "a", nil, t.TempDir())
	u := e.fx.Users
	ivan, olga := []int64{u["ivan"].UserID}, []int64{u["olga"].UserID}
	good := func(mod func(*schedule.Input)) schedule.Input {
		in := schedule.Input{Name: ptr("x"), ReportID: &e.reportID, Cron: ptr("0 9 * * 1"), Recipients: &ivan}
		mod(&in)
		return in
	}
	for _, sc := range []struct {
		name, as, field string
		kind            apperr.Kind
		in              schedule.Input
	}{
		{"no name", "olga", "name", apperr.Invalid, good(func(i *schedule.Input) { i.Name = nil })},
		{"blank name", "olga", "name", apperr.Invalid, good(func(i *schedule.Input) { i.Name = ptr("  ") })},
		{"bad cron", "olga", "cron", apperr.Invalid, good(func(i *schedule.Input) { i.Cron = ptr("0 25 * * *") })},
		{"six fields", "olga", "cron", apperr.Invalid, good(func(i *schedule.Input) { i.Cron = ptr("0 0 9 * * 1") })},
		{"@every", "olga", "cron", apperr.Invalid, good(func(i *schedule.Input) { i.Cron = ptr("@every 1m") })},
		{"31 February", "olga", "cron", apperr.Invalid, good(func(i *schedule.Input) { i.Cron = ptr("0 9 31 2 *") })},
		{"30 February", "olga", "cron", apperr.Invalid, good(func(i *schedule.Input) { i.Cron = ptr("0 9 30 2 *") })},
		{"31st of 30-day months", "olga", "cron", apperr.Invalid, good(func(i *schedule.Input) { i.Cron = ptr("0 9 31 4,6,9,11 *") })},
		{"mail without SMTP", "olga", "delivery", apperr.Invalid, good(func(i *schedule.Input) { i.Delivery = ptr("email") })},
		{"bad zone", "olga", "timezone", apperr.Invalid, good(func(i *schedule.Input) { i.Timezone = ptr("Mars/Olympus") })},
		{"bad period", "olga", "period", apperr.Invalid, good(func(i *schedule.Input) { i.Period = ptr("last_century") })},
		{"unknown report", "olga", "report_id", apperr.Invalid, good(func(i *schedule.Input) { i.ReportID = ptr("999") })},
		{"someone else's private report", "analyst", "report_id", apperr.Invalid, good(func(*schedule.Input) {})},
		{"no recipients", "olga", "recipients", apperr.Invalid, good(func(i *schedule.Input) { i.Recipients = &[]int64{} })},
		{"unknown recipient", "olga", "recipients[1]", apperr.Invalid, good(func(i *schedule.Input) { i.Recipients = &[]int64{u["ivan"].UserID, 424242} })},
		{"repeated recipient", "olga", "recipients[1]", apperr.Invalid, good(func(i *schedule.Input) { i.Recipients = &[]int64{u["olga"].UserID, u["olga"].UserID} })},
		{"shared file to a manager", "olga", "per_recipient", apperr.Invalid, good(func(i *schedule.Input) { i.PerRecipient = ptr(false) })},
		{"bad delivery", "olga", "delivery", apperr.Invalid, good(func(i *schedule.Input) { i.Delivery = ptr("fax") })},
		{"bad format", "olga", "format", apperr.Invalid, good(func(i *schedule.Input) { i.Format = ptr("pdf") })},
		{"bad lang", "olga", "lang", apperr.Invalid, good(func(i *schedule.Input) { i.Lang = ptr("de") })},
		{"manager", "ivan", "", apperr.Forbidden, good(func(i *schedule.Input) { i.Recipients = &olga })},
	} {
		t.Run(sc.name, func(t *testing.T) {
			p := u[sc.as]
			if sc.as == "analyst" {
				p = e.analyst(t)
			}
			_, err := svc.Create(context.Background(), p, sc.in)
			ae := apperr.As(err)
			if ae == nil || ae.Kind != sc.kind || ae.Field != sc.field {
				t.Errorf("error %v, want kind %v on field %q", err, sc.kind, sc.field)
			}
			if n := e.count(t, `SELECT count(*) FROM export_schedules`); n != 0 {
				t.Errorf("%d schedules saved", n)
			}
		})
	}
}

// TestWorkingDays reads the preloaded Russian calendar: days worked out
// from the 2026 decree and the 2027 holidays by hand.
func TestWorkingDays(t *testing.T) {
	e := newEnv(t)
	svc := e.service(t, "a", nil, "")
	for day, want := range map[string]bool{
		"2026-01-08": false, // New Year holidays
		"2026-01-09": false, // Friday, the day off moved from Saturday 3 January
		"2026-01-12": true,  // Monday
		"2026-02-23": false, // Defender of the Fatherland Day
		"2026-03-09": false, // Monday after 8 March (a Sunday)
		"2026-05-11": false, // Monday after 9 May (a Saturday)
		"2026-04-15": true,  // an ordinary Wednesday
		"2026-04-18": false, // an ordinary Saturday
		"2026-12-31": false, // the day off moved from Sunday 4 January
		"2027-05-03": false, // Monday after 1 May (a Saturday)
		"2027-06-14": false, // Monday after 12 June (a Saturday)
		"2027-11-05": false, // Friday between 4 November and the weekend
		"2027-11-13": true,  // the Saturday worked for it
	} {
		d, _ := time.ParseInLocation(time.DateOnly, day, moscow)
		if got, err := svc.WorkingDay(context.Background(), d); err != nil || got != want {
			t.Errorf("%s (%s): working %v (%v), want %v", day, d.Weekday(), got, err, want)
		}
	}
}

// TestWorkingDaysScheduleSkipsDaysOff: a daily 09:00 working-days
// schedule on Friday 9 January 2026 (a day off) records a skipped run
// and delivers nothing; on Monday 12 January it runs.
func TestWorkingDaysScheduleSkipsDaysOff(t *testing.T) {
	e := newEnv(t)
	svc := e.service(t, "a", nil, t.TempDir())
	olga := e.fx.Users["olga"]
	e.clock.Set(msk(2026, 1, 8, 12, 0))
	ids := []int64{olga.UserID}
	sch, err := svc.Create(context.Background(), olga, schedule.Input{Name: ptr("Будни"), ReportID: &e.reportID,
		Cron: ptr("0 9 * * *"), Recipients: &ids, WorkingDays: ptr(true)})
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range []time.Time{msk(2026, 1, 9, 9, 0), msk(2026, 1, 12, 9, 1)} {
		e.clock.Set(at)
		if err := svc.Tick(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	runs, _ := svc.Runs(context.Background(), olga, sch.ID)
	if len(runs) != 2 || runs[1].Status != "skipped" || len(runs[1].Deliveries) != 0 ||
		runs[0].Status != "succeeded" || !runs[0].ScheduledFor.Equal(msk(2026, 1, 12, 9, 0)) {
		t.Fatalf("runs %+v: want 9 January skipped, 12 January delivered", runs)
	}
}

// analyst adds an analyst, who does not see olga's private report.
func (e *env) analyst(t *testing.T) (p domain.Principal) {
	t.Helper()
	err := e.fx.PG.Pool.QueryRow(context.Background(), `INSERT INTO users (email, name, role, password_hash)
VALUES ('kim@test.local', 'Ким', 'analyst', '-') RETURNING id, name, email, role`).Scan(&p.UserID, &p.Name, &p.Email, &p.Role)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestImpossibleSchedules: a day that never comes is refused with its
// own code, a rare one (29 February) is accepted with the right next
// run; mail is refused without SMTP and accepted with it, and a mail
// schedule left without SMTP may still be paused but not resumed.
func TestImpossibleSchedules(t *testing.T) {
	e := newEnv(t) // the clock: 20 February 2025, 12:00 Moscow time
	noMail := e.service(t, "a", nil, t.TempDir())
	withMail := e.service(t, "b", &schedule.Mailer{Addr: "127.0.0.1:1", Host: "127.0.0.1", From: "r@test.local"}, "")
	olga := e.fx.Users["olga"]
	ids := []int64{olga.UserID}
	in := func(cron, delivery string) schedule.Input {
		return schedule.Input{Name: ptr("x"), ReportID: &e.reportID, Cron: ptr(cron), Recipients: &ids, Delivery: ptr(delivery)}
	}
	ctx := context.Background()
	_, err := noMail.Create(ctx, olga, in("0 9 31 2 *", "auto"))
	if ae := apperr.As(err); ae == nil || ae.Field != "cron" || ae.Code != "impossible_cron" {
		t.Errorf("31 February: %v, want impossible_cron on cron", err)
	}
	leap, err := noMail.Create(ctx, olga, in("0 9 29 2 *", "auto"))
	if err != nil || leap.NextRunAt == nil || !leap.NextRunAt.Equal(msk(2028, 2, 29, 9, 0)) {
		t.Errorf("29 February: %+v %v, want the next run on 29.02.2028 09:00", leap.NextRunAt, err)
	}
	_, err = noMail.Create(ctx, olga, in("0 9 * * 1", "email"))
	if ae := apperr.As(err); ae == nil || ae.Field != "delivery" || ae.Code != "no_smtp" {
		t.Errorf("mail without SMTP: %v, want no_smtp on delivery", err)
	}
	mailed, err := withMail.Create(ctx, olga, in("0 9 * * 1", "email"))
	if err != nil {
		t.Fatalf("mail with SMTP: %v", err)
	}
	if _, err := noMail.Update(ctx, olga, mailed.ID, schedule.Input{Enabled: ptr(false)}); err != nil {
		t.Errorf("pausing a mail schedule without SMTP: %v", err)
	}
	_, err = noMail.Update(ctx, olga, mailed.ID, schedule.Input{Enabled: ptr(true)})
	if ae := apperr.As(err); ae == nil || ae.Code != "no_smtp" {
		t.Errorf("resuming it without SMTP: %v, want no_smtp", err)
	}
}
