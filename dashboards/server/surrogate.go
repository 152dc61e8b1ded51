package server

import (
	"encoding/json"
	"strconv"

	"github.com/voronka/voronka/internal/apperr"
)

// loneSurrogateError is the 422 invalid_encoding of a JSON body holding
// an escaped lone surrogate (\ud800 without its pair, or a low half
// alone): encoding/json would quietly turn it into U+FFFD, so text that
// is not Unicode would be stored changed. Nil when there is none. The
// field is the top-level member that holds it.
func loneSurrogateError(body []byte) error {
	if !hasLoneSurrogate(body) {
		return nil
	}
	field := ""
	var members map[string]json.RawMessage
	if json.Unmarshal(body, &members) == nil {
		for name, raw := range members {
			if hasLoneSurrogate(raw) || hasLoneSurrogate([]byte(strconv.Quote(name))) {
				field = name
			}
		}
	}
	return &apperr.Error{Kind: apperr.Invalid, Code: "invalid_encoding",
		Message: "text holds a lone UTF-16 surrogate, which is not a character", Field: field}
}

// hasLoneSurrogate scans the \u escapes of JSON text (backslashes occur
// only inside strings) for a surrogate half without its partner.
func hasLoneSurrogate(b []byte) bool {
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' || i+1 >= len(b) {
			continue
		}
		if b[i+1] != 'u' {
			i++ // an escape such as \\ or \": skip its second byte
			continue
		}
		r, ok := escapedUnit(b, i)
		switch {
		case !ok:
		case r >= 0xDC00 && r <= 0xDFFF:
			return true // a low half with no high half before it
		case r >= 0xD800 && r <= 0xDBFF:
			low, ok := escapedUnit(b, i+6)
			if !ok || low < 0xDC00 || low > 0xDFFF {
				return true
			}
			i += 6 // the pair's low half is consumed with it
		}
		i += 5
	}
	return false
}

// escapedUnit reads the UTF-16 unit of the escape \uXXXX at b[i].
func escapedUnit(b []byte, i int) (rune, bool) {
	if i+6 > len(b) || b[i] != '\\' || b[i+1] != 'u' {
		return 0, false
	}
	n, err := strconv.ParseUint(string(b[i+2:i+6]), 16, 16)
	return rune(n), err == nil
}
