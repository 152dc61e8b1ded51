package olap

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// PGColumn is a column of a mirrored PostgreSQL table: its name, its type
// as format_type prints it, and whether it is nullable.
type PGColumn struct {
	Name     string
	Type     string
	Nullable bool
}

// checksumMod is the prime 2^31-1: every term is reduced modulo it before
// a product, so no intermediate value leaves the signed 64-bit range in
// either engine (PostgreSQL raises on bigint overflow, ClickHouse wraps).
const checksumMod = 2147483647

// term is a column's integer image in both dialects. NULL maps to -1.
type term struct{ pg, ch string }

// ChecksumQueries returns two queries, one for PostgreSQL and one for
// ClickHouse, each answering one row (row count, checksum) for table: the
// current state of the ClickHouse mirror (FINAL, _deleted = 0) and the
// PostgreSQL rows. Both compute, with integer arithmetic the engines do
// alike, per row h = Σ wᵢ·tᵢ mod p over the columns' integer images tᵢ
// (integers as is; numerics as integer part and scaled fraction;
// timestamps as Unix seconds; dates as days; booleans as 0/1; text as its
// length in characters, char(n) in bytes; other types as presence only)
// and sum h² + h over the rows. The square ties each row's values
// together, so values moved between rows change the sum. Equal results
// do not prove equal rows (same-length text edits pass); different
// results prove a difference.
func (db *DB) ChecksumQueries(table string, cols []PGColumn) (pgQuery, chQuery string, err error) {
	qualified, err := db.Checked(table)
	if err != nil {
		return "", "", err
	}
	var pgSum, chSum []string
	w := uint64(1)
	for _, c := range cols {
		if !validIdent(c.Name) {
			return "", "", fmt.Errorf("checksum of %s: bad column %q", table, c.Name)
		}
		for _, t := range columnTerms(c) {
			w = w * 1000003 % checksumMod
			pgSum = append(pgSum, fmt.Sprintf("((%s)::bigint %% %d) * %d %% %d", t.pg, checksumMod, w, checksumMod))
			chSum = append(chSum, fmt.Sprintf("toInt64(toInt64(%s %% %d) * %d %% %d)", t.ch, checksumMod, w, checksumMod))
		}
	}
	if len(pgSum) == 0 {
		return "", "", fmt.Errorf("checksum of %s: no columns", table)
	}
	const pgQ = `SELECT count(*), coalesce(sum((h * h + h) %% %[1]d), 0)::bigint
FROM (SELECT (%[2]s) %% %[1]d AS h FROM %[3]s) AS t`
	const chQ = `SELECT count(), sum(toInt64((h * h + h) %% %[1]d))
FROM (SELECT toInt64((%[2]s) %% %[1]d) AS h FROM %[3]s FINAL WHERE _deleted = 0)`
	pgQuery = fmt.Sprintf(pgQ, checksumMod, strings.Join(pgSum, "\n + "), `"`+table+`"`)
	chQuery = fmt.Sprintf(chQ, checksumMod, strings.Join(chSum, "\n + "), qualified)
	return pgQuery, chQuery, nil
}

// What ClickHouse's DateTime and Date can hold: the mirror clamps a
// PostgreSQL value outside them (a year 1 or 9999 written by SQL, ±infinity)
// to the nearest end, and the checksum of PostgreSQL's side clamps alike,
// so a clamped value is the same value on both sides.
var (
	MinDateTime = time.Unix(0, 0).UTC()
	MaxDateTime = time.Unix(1<<32-1, 0).UTC()                 // 2106-02-07 06:28:15
	MaxDate     = time.Date(2149, 6, 6, 0, 0, 0, 0, time.UTC) // day 65535
)

var (
	maxDateTimeUnix = strconv.FormatInt(MaxDateTime.Unix(), 10)
	maxDateDays     = strconv.FormatInt(MaxDate.Unix()/86400, 10)
)

// clampedPG is x (an image of column pg) clamped to [0, max] as bigint,
// NULL when pg is: PostgreSQL's greatest and least skip NULLs.
func clampedPG(pg, x, max string) string {
	return "(CASE WHEN " + pg + " IS NULL THEN NULL ELSE greatest(0, least(" + max + ", " + x + ")) END)::bigint"
}

// columnTerms is the integer image of one column, by its PostgreSQL type.
func columnTerms(c PGColumn) []term {
	pg, ch := `"`+c.Name+`"`, "`"+c.Name+"`"
	base, scale := typeBase(c.Type)
	var ts []term
	switch base {
	case "bigint", "integer", "smallint":
		ts = []term{{pg + "::bigint", "toInt64(" + ch + ")"}}
	case "numeric":
		ts = numericTerms(pg, ch, scale)
	case "timestamp with time zone", "timestamp without time zone": // clamped as the mirror clamps (MaxDateTime)
		ts = []term{{clampedPG(pg, "floor(extract(epoch FROM "+pg+"))", maxDateTimeUnix), "toInt64(toUnixTimestamp(" + ch + "))"}}
	case "date":
		ts = []term{{clampedPG(pg, "("+pg+" - DATE '1970-01-01')", maxDateDays), "toInt64(toUInt16(" + ch + "))"}}
	case "boolean":
		ts = []term{{pg + "::int", "toInt64(" + ch + ")"}}
	case "text", "character varying", "json", "jsonb":
		ts = []term{{"char_length(" + pg + "::text)", "toInt64(lengthUTF8(" + ch + "))"}}
	case "character": // padded: compare bytes, padding included
		ts = []term{{"octet_length(" + pg + ")", "toInt64(length(" + ch + "))"}}
	default: // presence only: no image both engines compute alike
		return []term{{"(" + pg + " IS NOT NULL)::int", "toInt64(isNotNull(" + ch + "))"}}
	}
	if c.Nullable {
		for i := range ts {
			ts[i] = term{"coalesce(" + ts[i].pg + ", -1)", "ifNull(" + ts[i].ch + ", -1)"}
		}
	}
	return ts
}

// numericTerms splits a decimal into its integer part (mod p, exact in
// both engines) and its fraction scaled to an integer by the column's
// scale (8 for unconstrained numeric, as CHType's Decimal(38, 8)).
func numericTerms(pg, ch string, scale int) []term {
	ts := []term{{"(trunc(" + pg + ") % " + strconv.Itoa(checksumMod) + ")::bigint", "toInt64(" + ch + ")"}}
	if scale > 0 {
		f := "1" + strings.Repeat("0", scale)
		ts = append(ts, term{
			"trunc((" + pg + " - trunc(" + pg + ")) * " + f + ")::bigint",
			"toInt64((" + ch + " - toInt64(" + ch + ")) * " + f + ")",
		})
	}
	return ts
}

// typeBase is the format_type name without modifiers, and the numeric
// scale (8 when unconstrained).
func typeBase(pgType string) (string, int) {
	m := pgTypeRE.FindStringSubmatch(tsPrecisionRE.ReplaceAllString(pgType, "timestamp"))
	if m == nil {
		return pgType, 0
	}
	if m[1] == "numeric" && m[2] == "" {
		return "numeric", 8
	}
	scale, _ := strconv.Atoi(m[3])
	return m[1], scale
}
