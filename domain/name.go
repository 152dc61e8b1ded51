package domain

import (
	"strings"
	"unicode/utf8"

	"github.com/voronka/voronka/internal/apperr"
)

// MaxTitle bounds a title or a name (of a deal, a report, a schedule).
const MaxTitle = 255

// CheckName validates the name of a thing a user saves (what: "report",
// "schedule"): valid UTF-8, not blank, at most MaxTitle characters.
// Errors are 422s on the field "name".
func CheckName(what, name string) error {
	switch {
	case !utf8.ValidString(name):
		return apperr.Field("name", "invalid_encoding", "text is not valid UTF-8")
	case strings.TrimSpace(name) == "":
		return apperr.Field("name", "required", "name the "+what)
	case utf8.RuneCountInString(name) > MaxTitle:
		return apperr.Field("name", "too_long", "at most 255 characters")
	}
	return nil
}
