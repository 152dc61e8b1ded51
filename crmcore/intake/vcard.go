package intake

import (
	"strings"

	"github.com/voronka/voronka/internal/apperr"
)

// ParseVCard reads a vCard file (3.0 or 4.0; 2.1 without
// quoted-printable) holding one or more cards. Each card is a record
// numbered by the line of its BEGIN:VCARD: FN → name; N → last, first
// and middle name; the first TEL → phone, EMAIL → email; ORG → company
// (a company's name when companies are imported); TITLE → position.
func ParseVCard(data []byte, o Options) (Parsed, error) {
	text, enc, err := ToUTF8(data, o.Encoding)
	if err != nil {
		return Parsed{}, err
	}
	p := Parsed{Encoding: enc, Columns: map[string]string{}, Ignored: []string{}}
	var cur *ImportRecord
	for _, l := range unfold(text) {
		name, params, value := splitProperty(l.text)
		switch {
		case name == "BEGIN" && strings.EqualFold(value, "VCARD"):
			cur = &ImportRecord{Line: l.no, Fields: map[string]string{}}
		case cur == nil:
			continue
		case name == "END":
			p.Records = append(p.Records, kindFields(o.Kind, *cur))
			cur = nil
		default:
			cardProperty(cur.Fields, name, params, value)
		}
	}
	if len(p.Records) == 0 {
		return Parsed{}, apperr.Field("file", "no_cards", "no BEGIN:VCARD … END:VCARD in the file")
	}
	return p, nil
}

type cardLine struct {
	no   int
	text string
}

// unfold joins continuation lines (starting with a space or tab) to the
// line before, keeping the first line's number.
func unfold(text string) []cardLine {
	var out []cardLine
	for i, raw := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if (strings.HasPrefix(raw, " ") || strings.HasPrefix(raw, "\t")) && len(out) > 0 {
			out[len(out)-1].text += raw[1:]
			continue
		}
		if strings.TrimSpace(raw) != "" {
			out = append(out, cardLine{no: i + 1, text: raw})
		}
	}
	return out
}

// splitProperty splits "item1.TEL;TYPE=CELL:+7…" into TEL, its params
// and the value.
func splitProperty(l string) (string, string, string) {
	head, value, _ := strings.Cut(l, ":")
	name, params, _ := strings.Cut(head, ";")
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	return strings.ToUpper(strings.TrimSpace(name)), params, value
}

// cardProperty stores one property's value in the card's fields.
func cardProperty(f map[string]string, name, params, value string) {
	set := func(k, v string) {
		if v = strings.TrimSpace(v); f[k] == "" && v != "" {
			f[k] = v
		}
	}
	parts := splitEscaped(value)
	switch name {
	case "FN":
		set("name", unescape(value))
	case "N":
		for i, k := range []string{"last_name", "first_name", "middle_name"} {
			if i < len(parts) {
				set(k, parts[i])
			}
		}
	case "TEL":
		set("phone", strings.TrimPrefix(unescape(value), "tel:"))
	case "EMAIL":
		set("email", strings.TrimPrefix(unescape(value), "mailto:"))
	case "ORG":
		set("company", parts[0])
	case "TITLE":
		set("position", unescape(value))
	}
}

// splitEscaped splits a structured value at unescaped semicolons.
func splitEscaped(v string) []string {
	var out []string
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		switch {
		case v[i] == '\\' && i+1 < len(v):
			b.WriteByte(v[i])
			b.WriteByte(v[i+1])
			i++
		case v[i] == ';':
			out = append(out, unescape(b.String()))
			b.Reset()
		default:
			b.WriteByte(v[i])
		}
	}
	return append(out, unescape(b.String()))
}

func unescape(v string) string {
	return strings.NewReplacer(`\n`, "\n", `\N`, "\n", `\,`, ",", `\;`, ";", `\\`, `\`).Replace(v)
}

// kindFields adapts a card's fields to the kind: a full name built from
// N when FN is missing; for companies, the organisation is the name.
func kindFields(kind string, r ImportRecord) ImportRecord {
	f := r.Fields
	if f["name"] == "" {
		f["name"] = strings.TrimSpace(f["last_name"] + " " + f["first_name"] + " " + f["middle_name"])
	}
	if kind == ImportCompanies {
		r.Fields = map[string]string{"name": firstOf(f["company"], f["name"]), "phone": f["phone"], "email": f["email"]}
	}
	return r
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
