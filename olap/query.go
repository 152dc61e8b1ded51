package olap

import (
	"fmt"
	"regexp"
	"strings"
)

// Fragment is SQL text with the values bound to its ? placeholders, in
// order: a Query, or one of squirrel's builders and conditions (they
// have the same method).
type Fragment interface {
	ToSql() (string, []any, error)
}

// Query is one ClickHouse statement, or a part of one: text with ?
// placeholders and the values clickhouse-go binds to them, in order.
// Values are always bound, never pasted into the text.
type Query struct {
	SQL  string
	Args []any
}

// ToSql makes a Query a Fragment (and a squirrel Sqlizer).
func (q Query) ToSql() (string, []any, error) { return q.SQL, q.Args, nil }

// SQL is a statement whose few values stand as ? in the order given: for
// static statements. A statement composed of parts is built with Build,
// which cannot get the order wrong.
func SQL(text string, args ...any) Query { return Query{SQL: text, Args: args} }

// Slots are the named parts of a statement for Build: a Fragment is
// spliced in with its arguments; any other value is bound as one
// argument (a number, a time, a string, a slice for an array).
type Slots map[string]any

var slotRE = regexp.MustCompile(`\{([a-z][a-z0-9_]*)\}`)

// Build fills the {name} slots of text (lower-case names) from slots, in
// the order they stand, so that the text and its arguments are assembled
// together and cannot drift apart: a slot used twice binds its value (or
// repeats its fragment's arguments) twice. A bare ? in text is refused
// (every value has a name), as are a slot text names that slots lacks and
// one slots has that text never names.
func Build(text string, slots Slots) (Query, error) {
	var sb strings.Builder
	var args []any
	used := map[string]bool{}
	last := 0
	for _, m := range slotRE.FindAllStringSubmatchIndex(text, -1) {
		if strings.Contains(text[last:m[0]], "?") {
			return Query{}, fmt.Errorf("build sql: a bare ? before {%s}: name every value as a slot", text[m[2]:m[3]])
		}
		sb.WriteString(text[last:m[0]])
		name := text[m[2]:m[3]]
		v, ok := slots[name]
		if !ok {
			return Query{}, fmt.Errorf("build sql: no value for slot {%s}", name)
		}
		used[name] = true
		if f, isFrag := v.(Fragment); isFrag {
			s, fargs, err := f.ToSql()
			if err != nil {
				return Query{}, fmt.Errorf("build sql: slot {%s}: %w", name, err)
			}
			sb.WriteString(s)
			args = append(args, fargs...)
		} else {
			sb.WriteString("?")
			args = append(args, v)
		}
		last = m[1]
	}
	if strings.Contains(text[last:], "?") {
		return Query{}, fmt.Errorf("build sql: a bare ? in the text: name every value as a slot")
	}
	sb.WriteString(text[last:])
	for name := range slots {
		if !used[name] {
			return Query{}, fmt.Errorf("build sql: slot {%s} given but not in the text", name)
		}
	}
	return Query{SQL: sb.String(), Args: args}, nil
}

// Join concatenates fragments with sep between them, keeping each one's
// arguments in order (a list of conditions, of columns).
func Join(sep string, parts ...Fragment) (Query, error) {
	var texts []string
	var args []any
	for _, p := range parts {
		s, a, err := p.ToSql()
		if err != nil {
			return Query{}, err
		}
		texts = append(texts, s)
		args = append(args, a...)
	}
	return Query{SQL: strings.Join(texts, sep), Args: args}, nil
}

// Template is text with {slots} that Build fills when it is spliced into
// another statement: a Fragment (a condition, a subquery) whose parts
// are named rather than counted.
type Template struct {
	Text  string
	Slots Slots
}

// ToSql builds the template.
func (t Template) ToSql() (string, []any, error) {
	q, err := Build(t.Text, t.Slots)
	return q.SQL, q.Args, err
}
