package intake

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/voronka/voronka/crmcore"
)

// internalNumber reports whether n is an internal number: 1 to min-1
// digits and nothing else (an empty or non-numeric one, like Asterisk's
// "s", is not a number at all).
func internalNumber(n string, min int) bool {
	if n == "" || len(n) >= min {
		return false
	}
	for _, r := range n {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// sides decides a row's call: the user's extension, whether the user
// called out, and the other party's number. A plain row names the
// extension and direction. A CDR row's user side is a short internal
// src (outgoing) or dst (incoming) — the channel's extension when that
// is a user's and the number is not —, else the user named by channel
// (outgoing) or dstchannel (incoming). ext is "" when no side is known.
func (c *callRow) sides(known map[string]int64, min int) (ext string, out bool, other string) {
	if c.ext != "" {
		if c.dir == "out" {
			return c.ext, true, c.dst
		}
		return c.ext, false, c.src
	}
	pick := func(num, peer string) string {
		if _, ok := known[num]; !ok && peer != "" {
			if _, ok := known[peer]; ok {
				return peer
			}
		}
		return num
	}
	switch {
	case internalNumber(c.src, min):
		return pick(c.src, c.peer), true, c.dst
	case internalNumber(c.dst, min):
		return pick(c.dst, c.dstPeer), false, c.src
	}
	if _, ok := known[c.peer]; ok && c.peer != "" {
		return c.peer, true, c.dst
	}
	if _, ok := known[c.dstPeer]; ok && c.dstPeer != "" {
		return c.dstPeer, false, c.src
	}
	return "", false, ""
}

// unknownExtension is the error of a CDR row no user's extension
// explains, naming the extensions it does name.
func (c *callRow) unknownExtension(ext string) string {
	if ext != "" {
		return "no user has extension " + ext
	}
	var named []string
	for _, n := range []string{c.peer, c.dstPeer} {
		if n != "" {
			named = append(named, n)
		}
	}
	if len(named) == 0 {
		return "no extension in src, dst, channel or dstchannel"
	}
	return "no user has extension " + strings.Join(named, " or ") + " (channel, dstchannel)"
}

// callSubject is the activity's subject: «Входящий звонок +7 912
// 345-67-89», with the outcome of an unanswered call.
func callSubject(out bool, other, disposition string) string {
	s := "Входящий звонок "
	if out {
		s = "Исходящий звонок "
	}
	s += phoneText(other)
	switch disposition {
	case "ANSWERED", "":
	case "NO ANSWER":
		s += " — без ответа"
	case "BUSY":
		s += " — занято"
	default:
		s += " — не состоялся"
	}
	return s
}

// phoneText writes a Russian number as +7 912 345-67-89, others as given
// ("номер скрыт" when there is none).
func phoneText(n string) string {
	k := crmcore.PhoneKey(n)
	if len(k) == 11 && k[0] == '7' {
		return fmt.Sprintf("+7 %s %s-%s-%s", k[1:4], k[4:7], k[7:9], k[9:])
	}
	n = strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, n))
	if n == "" {
		return "(номер скрыт)"
	}
	if r := []rune(n); len(r) > 40 {
		n = string(r[:40]) + "…"
	}
	return n
}
