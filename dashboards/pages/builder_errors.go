package pages

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/reports"
)

// Codes of the builder's own form errors.
const (
	codeNotACount  = "not_a_count"  // a limit or a number of days that is no whole number
	codeBetweenOne = "between_one"  // "between" with one bound
	codeNoValue    = "value_needed" // a filter row without its value
)

// formMessages are the page's words for the errors a builder or report
// page meets most — its own form's and the period's — by code and the
// field they name ("" any field); other errors show the engine's message.
var formMessages = []struct{ code, field, key string }{
	{reports.CodeOutOfRange, "", "bld_err_stored_days"},
	{"before_from", "", "bld_err_before_from"},
	{"required", "period", "bld_err_period"},
	{"required", "from", "bld_err_period"},
	{"invalid_date", "", "bld_err_date"},
	{"required", "measures", "bld_nothing"},
	{"required", "params.pipeline", "bld_err_pipeline"},
	{codeNotACount, "", "bld_err_count"},
	{"out_of_range", "limit", "bld_err_limit"},
	{codeNoValue, "", "bld_err_value"},
	{codeBetweenOne, "", "bld_err_between_one"},
}

// errorText is an error as the page shows it: in the page's words when
// formMessages knows it, else the error's own message; an internal error
// is logged and shown as "unavailable" (panelError).
func (s *handlers) errorText(err error, d *pageData) string {
	e := apperr.As(err)
	if e == nil || e.Kind == apperr.Internal {
		return s.panelError(err, d.tr)
	}
	field := strings.TrimPrefix(e.Field, "definition.")
	for _, m := range formMessages {
		if m.code == e.Code && (m.field == "" || m.field == field) {
			return fmt.Sprintf(d.T(m.key), messageArgs(m.key)...)
		}
	}
	return e.Message
}

// messageArgs are the figures a form message names.
func messageArgs(key string) []any {
	switch key {
	case "bld_err_stored_days":
		return []any{reports.FirstStoredDay, reports.LastStoredDay}
	case "bld_err_limit":
		return []any{reports.MaxLimit}
	}
	return nil
}

// faultText splits an error for the builder: the message of an error
// naming a filter (filters[i]…, or definition.filters[i]… from a save)
// by row, and the message of any other.
func (s *handlers) faultText(err error, d *pageData) (map[int]string, string) {
	rows := map[int]string{}
	if err == nil {
		return rows, ""
	}
	if e := apperr.As(err); e != nil {
		field := strings.TrimPrefix(e.Field, "definition.")
		if rest, ok := strings.CutPrefix(field, "filters["); ok {
			if n, _, ok := strings.Cut(rest, "]"); ok {
				if i, err := strconv.Atoi(n); err == nil {
					rows[i] = s.errorText(e, d)
					return rows, ""
				}
			}
		}
	}
	return rows, s.errorText(err, d)
}
