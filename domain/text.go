package domain

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/voronka/voronka/internal/apperr"
)

// MaxText bounds free text (a description, a comment, a reason).
const MaxText = 4000

// The codes CheckText answers, in the order it looks for them.
const (
	TextInvalidEncoding = "invalid_encoding" // not UTF-8 (a lone surrogate too) or a control character such as NUL
	TextRequired        = "required"         // blank while required
	TextTooLong         = "too_long"         // more than the limit, in characters
)

// CheckText is the one check of text a user sends, wherever it comes
// from (a JSON body, a query parameter, a form, a file): "" when s is
// acceptable, else the code of its first problem. Text must be valid
// UTF-8 — which a lone surrogate is not — without control characters
// other than tab, line feed and carriage return (PostgreSQL cannot store
// NUL at all), not blank when required, and at most max characters.
func CheckText(s string, required bool, max int) string {
	switch {
	case !utf8.ValidString(s) || strings.ContainsFunc(s, isControl):
		return TextInvalidEncoding
	case required && strings.TrimSpace(s) == "":
		return TextRequired
	case utf8.RuneCountInString(s) > max:
		return TextTooLong
	}
	return ""
}

// CheckTextField is CheckText as a 422 naming field, or nil.
func CheckTextField(field, s string, required bool, max int) error {
	if code := CheckText(s, required, max); code != "" {
		return TextError(field, code, max)
	}
	return nil
}

// TextError is the 422 of a CheckText code on field, with its message.
func TextError(field, code string, max int) *apperr.Error {
	msg := map[string]string{
		TextInvalidEncoding: "text must be valid UTF-8 without control characters such as NUL",
		TextRequired:        "must not be empty",
		TextTooLong:         fmt.Sprintf("must be at most %d characters", max),
	}[code]
	return apperr.Field(field, code, msg)
}

// isControl: C0 control characters and DEL, except tab, LF and CR.
func isControl(r rune) bool {
	return (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f
}
