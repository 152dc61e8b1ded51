package olap

import (
	"fmt"
	"regexp"
	"strconv"
)

// pgScalar maps PostgreSQL type names without modifiers (as format_type
// prints them) to ClickHouse types.
var pgScalar = map[string]string{
	"bigint":                      "Int64",
	"integer":                     "Int32",
	"smallint":                    "Int16",
	"text":                        "String",
	"character varying":           "String",
	"character":                   "String",
	"bytea":                       "String",
	"json":                        "String",
	"jsonb":                       "String",
	"boolean":                     "UInt8",
	"uuid":                        "UUID",
	"date":                        "Date",
	"timestamp with time zone":    "DateTime('UTC')",
	"timestamp without time zone": "DateTime('UTC')",
	"double precision":            "Float64",
	"real":                        "Float32",
}

// pgTypeRE splits a format_type name into its base and modifiers:
// "numeric(18,2)" → "numeric", "18,2".
var pgTypeRE = regexp.MustCompile(`^([a-z ]+?)(?:\((\d+)(?:,(\d+))?\))?$`)

// tsPrecisionRE finds the fractional-second precision of a timestamp
// type, "timestamp(3) with time zone", which DateTime drops.
var tsPrecisionRE = regexp.MustCompile(`^timestamp\(\d\)`)

// CHType maps a PostgreSQL column type, as format_type() prints it
// ("numeric(18,2)", "timestamp with time zone", "character(3)"), to the
// ClickHouse type a mirror column gets, spelled as system.columns shows
// it: bigint → Int64, integer → Int32, smallint → Int16, numeric(p,s) →
// Decimal(p, s) (Decimal(38, 8) unconstrained), text/varchar/char(n)/bytea
// → String, timestamptz → DateTime('UTC'), date → Date, boolean → UInt8,
// uuid → UUID; nullable wraps it in Nullable(…). Arrays and other types
// are an error: the mirror would have to choose a meaning for them.
func CHType(pgType string, nullable bool) (string, error) {
	t, err := chBase(pgType)
	if err != nil {
		return "", err
	}
	if nullable {
		t = "Nullable(" + t + ")"
	}
	return t, nil
}

func chBase(pgType string) (string, error) {
	m := pgTypeRE.FindStringSubmatch(tsPrecisionRE.ReplaceAllString(pgType, "timestamp"))
	if m == nil {
		return "", fmt.Errorf("postgresql type %q has no clickhouse mirror type", pgType)
	}
	base, p, s := m[1], m[2], m[3]
	if base == "numeric" {
		return decimalType(p, s)
	}
	t, ok := pgScalar[base]
	if !ok || (p != "" && base != "character varying" && base != "character") {
		return "", fmt.Errorf("postgresql type %q has no clickhouse mirror type", pgType)
	}
	return t, nil
}

// decimalType is Decimal(p, s) for numeric(p,s); ClickHouse (18.16 too)
// takes precision up to 38.
func decimalType(p, s string) (string, error) {
	if p == "" {
		return "Decimal(38, 8)", nil
	}
	prec, _ := strconv.Atoi(p)
	scale, _ := strconv.Atoi(s)
	if prec < 1 || prec > 38 || scale > prec {
		return "", fmt.Errorf("postgresql numeric(%s,%s): clickhouse decimals hold at most 38 digits", p, s)
	}
	return fmt.Sprintf("Decimal(%d, %d)", prec, scale), nil
}
