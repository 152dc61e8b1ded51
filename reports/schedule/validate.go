package schedule

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
)

var errNotWallClock = errors.New("@every is not a wall-clock schedule")

// MaxRecipients bounds a schedule's recipients.
const MaxRecipients = 50

// periodAliases are the schedule period names that are not report presets.
var periodAliases = map[string]string{"previous_week": "last_week"}

// preset is the report preset a schedule period names.
func preset(period string) string {
	if p, ok := periodAliases[period]; ok {
		return p
	}
	return period
}

// validate checks s as owner would save it: 422 errors naming the field.
func (svc *Service) validate(ctx context.Context, owner domain.Principal, s *Schedule) error {
	for _, check := range []func() error{
		func() error { return domain.CheckName("schedule", s.Name) },
		func() error { return svc.checkReport(ctx, owner, s.ReportID) },
		func() error { return checkCron(s.Cron, s.Timezone, svc.now()) },
		func() error { return checkPeriod(s.Period, svc.now()) },
		func() error { return checkChoice("delivery", s.Delivery, DeliveryAuto, DeliveryEmail, DeliveryFolder) },
		func() error { return checkChoice("format", s.Format, "xlsx") },
		func() error { return checkChoice("lang", s.Lang, i18n.Langs...) },
		func() error { return svc.checkRecipients(ctx, s) },
	} {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

// checkReport: the owner must see the report.
func (svc *Service) checkReport(ctx context.Context, owner domain.Principal, id string) error {
	if id == "" {
		return apperr.Field("report_id", "required", "name the report: a standard report id or a saved report number")
	}
	_, err := svc.library().Entry(ctx, owner, id)
	if e := apperr.As(err); e != nil && (e.Kind == apperr.NotFound || e.Kind == apperr.Invalid) {
		return apperr.Field("report_id", "unknown_report", "no such report among those you see")
	}
	return err
}

// checkCron: the expression parses and names a time that comes, so
// 0 9 31 2 * (31 February) or 0 9 31 4 * (31 April) are refused rather
// than saved with no next run.
func checkCron(expr, tz string, now time.Time) error {
	loc, err := location(tz)
	if err != nil {
		return err
	}
	sc, err := spec(expr, loc)
	if err != nil {
		return apperr.Field("cron", "invalid_cron",
			"want five fields (minute hour day-of-month month day-of-week), e.g. 0 9 * * 1, or @daily: "+err.Error())
	}
	if _, ok := nextRun(sc, now); !ok {
		return apperr.Field("cron", "impossible_cron",
			"this schedule never comes: no such day in the months it names (e.g. 31 February); pick a day every month has, 1 to 28, or other months")
	}
	return nil
}

// checkMail refuses delivery by e-mail when no SMTP server is configured
// (VORONKA_SMTP_URL): on a new schedule, or when a change asks for mail
// or turns such a schedule back on. A schedule saved before SMTP went
// away may still be paused, renamed or deleted.
func (svc *Service) checkMail(s Schedule, in Input, creating bool) error {
	if svc.MailConfigured() || s.Delivery != DeliveryEmail {
		return nil
	}
	if creating || in.Delivery != nil || (in.Enabled != nil && *in.Enabled) {
		e := apperr.Field("delivery", "no_smtp",
			"no mail server is configured (VORONKA_SMTP_URL): deliver to the folder (folder, or auto) instead")
		e.Details = map[string]any{"allowed": []string{DeliveryAuto, DeliveryFolder}}
		return e
	}
	return nil
}

// MailConfigured reports whether schedules can deliver by e-mail.
func (svc *Service) MailConfigured() bool { return svc.Mailer != nil }

// location loads a schedule's time zone; errors name "timezone".
func location(tz string) (*time.Location, error) {
	loc, err := (reports.Period{TZ: tz}).Location("x")
	if err != nil || tz == "" {
		return nil, apperr.Field("timezone", "unknown_time_zone", fmt.Sprintf("unknown time zone %q (an IANA name such as Europe/Moscow)", tz))
	}
	return loc, nil
}

func checkPeriod(period string, now time.Time) error {
	if period == "" {
		return nil
	}
	if _, err := (reports.Period{Preset: preset(period)}).Resolve(now, "period"); err != nil {
		e := apperr.Field("period", "unknown_period", "want a period preset such as previous_month or previous_week, or none")
		e.Details = map[string]any{"allowed": append(slices.Clone(reports.Presets), "previous_week")}
		return e
	}
	return nil
}

func checkChoice(field, v string, allowed ...string) error {
	if !slices.Contains(allowed, v) {
		e := apperr.Field(field, "invalid_choice", fmt.Sprintf("%q is not one of %s", v, strings.Join(allowed, ", ")))
		e.Details = map[string]any{"allowed": allowed}
		return e
	}
	return nil
}

// checkRecipients: active users, no repeats; a shared file (not per
// recipient) only for users who see every row.
func (svc *Service) checkRecipients(ctx context.Context, s *Schedule) error {
	return svc.eachRecipient(ctx, s.Recipients, func(_ string, u domain.Principal) error {
		if !s.PerRecipient && !u.SeesAll() {
			return apperr.Field("per_recipient", "would_leak",
				"a shared file holds every row; "+u.Name+" may see only their own, so send each recipient their own report")
		}
		return nil
	})
}

// eachRecipient checks a list of recipients — at least one, at most
// MaxRecipients, no repeats, each an active user — and then each with
// check (its field, recipients[i], and the user).
func (svc *Service) eachRecipient(ctx context.Context, ids []int64, check func(field string, u domain.Principal) error) error {
	if len(ids) == 0 {
		return apperr.Field("recipients", "required", "name at least one recipient (user ids)")
	}
	if len(ids) > MaxRecipients {
		return apperr.Field("recipients", "too_many", fmt.Sprintf("at most %d recipients", MaxRecipients))
	}
	for i, id := range ids {
		field := fmt.Sprintf("recipients[%d]", i)
		if slices.Index(ids, id) != i {
			return apperr.Field(field, "duplicate", "this user is already a recipient")
		}
		u, err := svc.user(ctx, id)
		if e := apperr.As(err); e != nil && e.Kind == apperr.NotFound {
			return apperr.Field(field, "unknown_user", "no active user with this id")
		} else if err != nil {
			return err
		}
		if err := check(field, u); err != nil {
			return err
		}
	}
	return nil
}
