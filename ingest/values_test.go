package ingest

import (
	"reflect"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func TestDecodeText(t *testing.T) {
	utc := func(s string) time.Time { v, _ := time.Parse("2006-01-02 15:04:05.999999", s); return v }
	cases := []struct {
		oid  uint32
		in   string
		want any
	}{
		{oidInt8, "-9223372036854775808", int64(-9223372036854775808)},
		{oidInt4, "2147483647", int32(2147483647)},
		{oidInt2, "-5", int16(-5)},
		{oidBool, "t", uint8(1)},
		{oidBool, "f", uint8(0)},
		{oidNumeric, "123456789012345.67", decimal.RequireFromString("123456789012345.67")},
		{oidNumeric, "0.00000001", decimal.RequireFromString("0.00000001")},
		{oidText, "Привет, мир", "Привет, мир"},
		{oidBPChar, "RUB", "RUB"},
		{oidVarchar, "", ""},
		{oidUUID, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},
		{oidBytea, `\x00ff41`, "\x00\xffA"},
		{oidTimestamptz, "2024-03-05 10:11:12.123456+00", utc("2024-03-05 10:11:12.123456")},
		{oidTimestamptz, "2024-03-05 10:11:12+03", utc("2024-03-05 07:11:12")},
		{oidTimestamptz, "2024-03-05 10:11:12+05:30", utc("2024-03-05 04:41:12")},
		{oidTimestamp, "2024-03-05 10:11:12", utc("2024-03-05 10:11:12")},
		{oidTimestamptz, "infinity", time.Unix(1<<32-1, 0).UTC()},
		{oidTimestamptz, "-infinity", time.Unix(0, 0).UTC()},
		{oidTimestamptz, "1900-01-01 00:00:00+00", time.Unix(0, 0).UTC()},
		{oidTimestamptz, "0044-03-15 12:00:00+00 BC", time.Unix(0, 0).UTC()},
		{oidTimestamptz, "12024-01-01 00:00:00+00", time.Unix(1<<32-1, 0).UTC()},
		{oidDate, "2024-02-29", utc("2024-02-29 00:00:00")},
		{oidDate, "2200-01-01", time.Date(2149, 6, 6, 0, 0, 0, 0, time.UTC)},
		{oidFloat8, "1.5", 1.5},
		{oidJSONB, `{"a": 1}`, `{"a": 1}`},
	}
	for _, c := range cases {
		got, err := decodeText(c.oid, []byte(c.in))
		if err != nil {
			t.Errorf("oid %d %q: %v", c.oid, c.in, err)
			continue
		}
		if d, ok := c.want.(decimal.Decimal); ok {
			if g, ok := got.(decimal.Decimal); !ok || !g.Equal(d) {
				t.Errorf("oid %d %q: got %#v want %s", c.oid, c.in, got, d)
			}
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("oid %d %q: got %#v (%T) want %#v (%T)", c.oid, c.in, got, got, c.want, c.want)
		}
	}
}

func TestDecodeTextRejects(t *testing.T) {
	for _, c := range []struct {
		oid uint32
		in  string
	}{
		{oidInt4, "2147483648"}, {oidInt2, "40000"}, {oidInt8, "x"}, {oidBool, "yes"},
		{oidNumeric, "NaN"}, {oidNumeric, "Infinity"}, {oidTimestamptz, "yesterday"},
		{oidDate, "2024-13-01"}, {oidBytea, "plain"}, {oidBytea, `\xZZ`},
	} {
		if v, err := decodeText(c.oid, []byte(c.in)); err == nil {
			t.Errorf("oid %d %q: accepted as %#v", c.oid, c.in, v)
		}
	}
}
