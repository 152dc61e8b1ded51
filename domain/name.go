package domain

import "github.com/voronka/voronka/internal/apperr"

// MaxTitle bounds a title or a name (of a deal, a report, a schedule).
const MaxTitle = 255

// CheckName validates the name of a thing a user saves (what: "report",
// "schedule", "day"): CheckText's rules (UTF-8 without control
// characters, not blank, at most MaxTitle characters). Errors are 422s
// on the field "name".
func CheckName(what, name string) error {
	switch code := CheckText(name, true, MaxTitle); code {
	case "":
		return nil
	case TextRequired:
		return apperr.Field("name", code, "name the "+what)
	default:
		return TextError("name", code, MaxTitle)
	}
}
