package crmcore

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

// MaxText bounds free text, so no field can carry a megabyte.
const MaxText = domain.MaxText

// check accumulates the first validation failure; callers chain calls and
// read Err once: v.text("title", in.Title, true, domain.MaxTitle); …; return v.Err.
type check struct{ Err error }

// Check validates the inputs of the core's subpackages (import options,
// web forms) with the core's rules and messages: like check, the first
// failure sticks in Err; chain the calls and read Err once. The zero
// value is ready to use.
type Check struct{ check }

// Fail records a failure of field (the first one sticks).
func (v *Check) Fail(field, code, format string, args ...any) { v.fail(field, code, format, args...) }

// Text checks required-ness, UTF-8, control characters and length.
func (v *Check) Text(field, s string, required bool, max int) { v.text(field, s, required, max) }

// OneOf checks membership in an allowed list.
func (v *Check) OneOf(field, s string, allowed ...string) { v.oneOf(field, s, allowed...) }

// ID checks a positive reference (0 passes when not required).
func (v *Check) ID(field string, id int64, required bool) { v.id(field, id, required) }

func (v *check) fail(field, code, format string, args ...any) {
	if v.Err == nil {
		v.Err = apperr.Field(field, code, fmt.Sprintf(format, args...))
	}
}

// text checks a text field by domain.CheckText: UTF-8 without control
// characters (else invalid_encoding), required-ness and length.
func (v *check) text(field, s string, required bool, max int) {
	if v.Err == nil {
		if code := domain.CheckText(s, required, max); code != "" {
			v.Err = domain.TextError(field, code, max)
		}
	}
}

// optText is text for an optional pointer field.
func (v *check) optText(field string, s *string, max int) {
	if s != nil {
		v.text(field, *s, false, max)
	}
}

// oneOf checks membership in an allowed list.
func (v *check) oneOf(field, s string, allowed ...string) {
	for _, a := range allowed {
		if s == a {
			return
		}
	}
	v.fail(field, "invalid_value", "must be one of: %s", strings.Join(allowed, ", "))
}

// amount checks a non-negative money amount with at most 2 decimals.
func (v *check) amount(field string, d decimal.Decimal, positive bool) {
	switch {
	case d.IsNegative():
		v.fail(field, "negative", "must not be negative")
	case positive && d.IsZero():
		v.fail(field, "not_positive", "must be greater than zero")
	case d.Exponent() < -2 && !d.Equal(d.Round(2)):
		v.fail(field, "too_precise", "at most 2 decimal places")
	case d.GreaterThanOrEqual(decimal.New(1, 16)):
		v.fail(field, "too_large", "must be less than 10^16")
	}
}

// id checks a positive reference.
func (v *check) id(field string, id int64, required bool) {
	if id < 0 || (required && id == 0) {
		v.fail(field, "required", "must be a positive id")
	}
}

// optClearable checks an optional reference that may be cleared:
// positive, or 0 to clear it.
func (v *check) optClearable(field string, id *int64) {
	if id != nil {
		v.id(field, *id, false)
	}
}

var emailRe = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

// email checks an optional address as it is stored: trimmed.
func (v *check) email(field string, s *string) {
	if s != nil && strings.TrimSpace(*s) != "" && !emailRe.MatchString(strings.TrimSpace(*s)) {
		v.fail(field, "invalid_email", "not an e-mail address")
	}
}

var currencyRe = regexp.MustCompile(`^[A-Z]{3}$`)

func (v *check) currency(field, s string) {
	if !currencyRe.MatchString(s) {
		v.fail(field, "invalid_currency", "must be a 3-letter ISO 4217 code such as RUB")
	}
}

// moment checks that a date or time (when given) lies in the span the
// stores hold (domain.Storable).
func (v *check) moment(field string, t *time.Time) {
	if t != nil && !domain.Storable(*t) {
		v.fail(field, "out_of_range", "must lie between %s (UTC)", domain.StorableRange)
	}
}

// at checks a backfill timestamp: only admins may set it, and not in the future.
func (v *check) at(field string, at *time.Time, p domain.Principal, now time.Time) {
	if at == nil {
		return
	}
	v.moment(field, at)
	if !p.CanBackfill() {
		v.Err = &apperr.Error{Kind: apperr.Forbidden, Code: "backfill_forbidden",
			Message: "only an admin may set history timestamps", Field: field}
		return
	}
	if at.After(now.Add(time.Minute)) {
		v.fail(field, "in_future", "must not be in the future")
	}
}

// Amount checks a money amount: not negative (positive: above zero), at
// most 2 decimals, below 10^16.
func (v *Check) Amount(field string, d decimal.Decimal, positive bool) { v.amount(field, d, positive) }

// Currency checks the form of a currency code (three capital letters).
func (v *Check) Currency(field, code string) { v.currency(field, code) }

// Moment checks that a date or time lies in the span the stores hold.
func (v *Check) Moment(field string, t *time.Time) { v.moment(field, t) }

// Date checks a calendar date YYYY-MM-DD in the stores' span; an empty
// one fails only when required.
func (v *Check) Date(field, s string, required bool) {
	if s == "" && required {
		v.fail(field, "required", "a date YYYY-MM-DD is required")
	}
	v.optDate(field, &s)
}
