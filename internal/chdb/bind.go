//go:build chdb

package chdb

import (
	"database/sql/driver"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Bind renders query with each positional `?` replaced by its argument as
// a ClickHouse literal, the way clickhouse-go's client-side binding does
// over the native protocol (TestBindMatchesDriver compares the two on the
// 18.16 server): `?` inside string literals, quoted identifiers and
// comments stays, `\?` is a literal `?`; tz is the server's time zone.
func Bind(tz *time.Location, query string, args ...any) (string, error) {
	if len(args) == 0 {
		return query, nil
	}
	var b strings.Builder
	next := 0
	for i := 0; i < len(query); i++ {
		c := query[i]
		if skip := protectedEnd(query, i); skip > i {
			b.WriteString(query[i:skip])
			i = skip - 1
			continue
		}
		switch {
		case c == '\\' && i+1 < len(query) && query[i+1] == '?':
			b.WriteByte('?')
			i++
		case c == '?':
			if next >= len(args) {
				return "", fmt.Errorf("chdb bind: no argument for ? number %d", next+1)
			}
			lit, err := Literal(tz, args[next])
			if err != nil {
				return "", err
			}
			b.WriteString(lit)
			next++
		default:
			b.WriteByte(c)
		}
	}
	if next != len(args) {
		return "", fmt.Errorf("chdb bind: %d arguments for %d placeholders", len(args), next)
	}
	return b.String(), nil
}

// protectedEnd is the end of the string literal, quoted identifier or
// comment starting at i (i itself when none starts there).
func protectedEnd(q string, i int) int {
	switch {
	case q[i] == '\'' || q[i] == '`' || q[i] == '"':
		for j := i + 1; j < len(q); j++ {
			switch q[j] {
			case '\\':
				j++
			case q[i]:
				return j + 1
			}
		}
		return len(q)
	case strings.HasPrefix(q[i:], "--"):
		if n := strings.IndexByte(q[i:], '\n'); n >= 0 {
			return i + n
		}
		return len(q)
	case strings.HasPrefix(q[i:], "/*"):
		if n := strings.Index(q[i+2:], "*/"); n >= 0 {
			return i + 2 + n + 2
		}
		return len(q)
	}
	return i
}

var quoteReplacer = strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\x00", `\0`)

// Quote is s as a single-quoted ClickHouse string literal.
func Quote(s string) string { return "'" + quoteReplacer.Replace(s) + "'" }

// Literal is v as clickhouse-go writes it into query text: NULL, quoted
// strings (driver.Valuer and fmt.Stringer through their text, so a
// decimal is '12.50'), 1/0 for booleans, cast(x, 'Float64') for floats,
// toDateTime('…'[, 'zone']) for times, [a, b] for slices, numbers as Go
// prints them.
func Literal(tz *time.Location, v any) (string, error) {
	if fn, ok := v.(driver.Valuer); ok {
		var err error
		if v, err = fn.Value(); err != nil {
			return "", err
		}
	}
	return literal(tz, v, false)
}

func literal(tz *time.Location, v any, nested bool) (string, error) {
	switch x := v.(type) {
	case nil:
		return "NULL", nil
	case string:
		return Quote(x), nil
	case []byte:
		if x == nil {
			return "NULL", nil
		}
		if !nested {
			return Quote(string(x)), nil
		}
	case time.Time:
		return timeLiteral(tz, x)
	case *time.Time:
		if x == nil {
			return "NULL", nil
		}
		return timeLiteral(tz, *x)
	case bool:
		if x {
			return "1", nil
		}
		return "0", nil
	case float32:
		return floatLiteral(float64(x), 32), nil
	case float64:
		return floatLiteral(x, 64), nil
	case fmt.Stringer:
		if rv := reflect.ValueOf(x); rv.Kind() == reflect.Pointer && rv.IsNil() {
			return "NULL", nil
		}
		return Quote(x.String()), nil
	}
	return reflectLiteral(tz, reflect.ValueOf(v))
}

func reflectLiteral(tz *time.Location, v reflect.Value) (string, error) {
	switch v.Kind() {
	case reflect.String:
		return Quote(v.String()), nil
	case reflect.Slice, reflect.Array:
		items := make([]string, v.Len())
		for i := range items {
			s, err := literal(tz, v.Index(i).Interface(), true)
			if err != nil {
				return "", err
			}
			items[i] = s
		}
		return "[" + strings.Join(items, ", ") + "]", nil
	case reflect.Float32:
		return floatLiteral(v.Float(), 32), nil
	case reflect.Float64:
		return floatLiteral(v.Float(), 64), nil
	case reflect.Pointer:
		if v.IsNil() {
			return "NULL", nil
		}
		return literal(tz, v.Elem().Interface(), false)
	case reflect.Map, reflect.Struct, reflect.Chan, reflect.Func:
		return "", fmt.Errorf("chdb bind: %s arguments are not supported", v.Type())
	}
	return fmt.Sprint(v.Interface()), nil
}

func floatLiteral(f float64, bits int) string {
	t := "Float64"
	if bits == 32 {
		t = "Float32"
	}
	switch {
	case math.IsNaN(f):
		return "cast('nan', '" + t + "')"
	case math.IsInf(f, 1):
		return "cast('inf', '" + t + "')"
	case math.IsInf(f, -1):
		return "cast('-inf', '" + t + "')"
	}
	return "cast(" + strconv.FormatFloat(f, 'g', -1, bits) + ", '" + t + "')"
}

// timeLiteral: local times as Unix seconds, times in the server's zone
// without a zone, others with their zone name.
func timeLiteral(tz *time.Location, t time.Time) (string, error) {
	switch zone := t.Location().String(); zone {
	case "Local", "":
		if t.Unix() == 0 {
			return "toDateTime(0)", nil
		}
		return fmt.Sprintf("toDateTime('%d')", t.Unix()), nil
	case tz.String():
		return t.Format("toDateTime('2006-01-02 15:04:05')"), nil
	default:
		if quoteReplacer.Replace(zone) != zone {
			return "", fmt.Errorf("chdb bind: invalid time zone %q", zone)
		}
		return fmt.Sprintf("toDateTime('%s', '%s')", t.Format(time.DateTime), zone), nil
	}
}
