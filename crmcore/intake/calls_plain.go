package intake

import (
	"strings"
	"time"
)

// plainRow is one row of the plain format.
func plainRow(rec ImportRecord, loc *time.Location) callRow {
	c := callRow{line: rec.Line, err: rec.Err, disposition: "ANSWERED"}
	f := rec.Fields
	if c.err != "" {
		return c
	}
	c.src, c.dst, c.ext = strings.TrimSpace(f["from"]), strings.TrimSpace(f["to"]), strings.TrimSpace(f["extension"])
	var ok bool
	switch {
	case c.ext == "":
		c.err, c.field = "the extension (or SIP login) is empty", "extension"
	case !parseDirection(f["direction"], &c.dir):
		c.err, c.field = "direction is in or out (входящий, исходящий), not "+f["direction"], "direction"
	}
	if c.err != "" {
		return c
	}
	if c.at, ok = parseCallTime(f["time"], loc); !ok {
		c.err, c.field = "time is not a time like 2024-03-02 10:15:03: "+f["time"], "time"
		return c
	}
	if c.durationS, ok = parseSeconds(f["duration"]); !ok {
		c.err, c.field = "duration is seconds or m:ss, not "+f["duration"], "duration"
		return c
	}
	if c.durationS == 0 {
		c.disposition = "NO ANSWER"
	}
	c.key = callHash(f["time"], c.src, c.dst, c.ext)
	return c
}

// parseDirection reads in/out in English or Russian.
func parseDirection(s string, dir *string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "in", "incoming", "inbound", "входящий", "входящая", "вх", "вх.":
		*dir = "in"
	case "out", "outgoing", "outbound", "исходящий", "исходящая", "исх", "исх.":
		*dir = "out"
	default:
		return false
	}
	return true
}
