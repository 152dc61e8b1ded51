package olap_test

import (
	"testing"

	"github.com/voronka/voronka/olap"
)

func TestCHType(t *testing.T) {
	cases := []struct {
		pg       string
		nullable bool
		want     string
	}{
		{"bigint", false, "Int64"},
		{"integer", true, "Nullable(Int32)"},
		{"smallint", false, "Int16"},
		{"numeric(18,2)", false, "Decimal(18, 2)"},
		{"numeric(20,8)", true, "Nullable(Decimal(20, 8))"},
		{"numeric(10)", false, "Decimal(10, 0)"},
		{"numeric", false, "Decimal(38, 8)"},
		{"text", true, "Nullable(String)"},
		{"character varying(255)", false, "String"},
		{"character varying", false, "String"},
		{"character(3)", false, "String"},
		{"bytea", false, "String"},
		{"timestamp with time zone", false, "DateTime('UTC')"},
		{"timestamp(3) with time zone", true, "Nullable(DateTime('UTC'))"},
		{"timestamp without time zone", false, "DateTime('UTC')"},
		{"date", false, "Date"},
		{"boolean", false, "UInt8"},
		{"uuid", true, "Nullable(UUID)"},
	}
	for _, c := range cases {
		got, err := olap.CHType(c.pg, c.nullable)
		if err != nil || got != c.want {
			t.Errorf("CHType(%q, %v) = %q, %v; want %q", c.pg, c.nullable, got, err, c.want)
		}
	}
	for _, bad := range []string{"bigint[]", "numeric(40,2)", "interval", "integer(4)", "", "text; DROP TABLE deals"} {
		if got, err := olap.CHType(bad, false); err == nil {
			t.Errorf("CHType(%q) = %q, want an error", bad, got)
		}
	}
}
