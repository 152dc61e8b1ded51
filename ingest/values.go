package ingest

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/olap"
)

// Type OIDs of the PostgreSQL built-in types Voronka's tables use
// (pg_type.oid; stable across releases).
const (
	oidBool        = 16
	oidBytea       = 17
	oidName        = 19
	oidInt8        = 20
	oidInt2        = 21
	oidInt4        = 23
	oidText        = 25
	oidOID         = 26
	oidJSON        = 114
	oidFloat4      = 700
	oidFloat8      = 701
	oidBPChar      = 1042
	oidVarchar     = 1043
	oidDate        = 1082
	oidTimestamp   = 1114
	oidTimestamptz = 1184
	oidNumeric     = 1700
	oidUUID        = 2950
	oidJSONB       = 3802
)

// The ranges ClickHouse DateTime and Date can hold (olap.MaxDateTime…);
// PostgreSQL values outside them (including ±infinity) are clamped to the
// nearest end — the checksum of ingest verify clamps PostgreSQL's side
// alike — and counted (voronka_ingest_clamped_values_total).
var (
	minCHTime = olap.MinDateTime
	maxCHTime = olap.MaxDateTime
	maxCHDate = olap.MaxDate
)

// clampedValues counts the values clamped so far (by this process).
var clampedValues atomic.Int64

// clamped counts one clamped value and returns its clamped form.
func clamped(t time.Time) time.Time {
	clampedValues.Add(1)
	return t
}

// decodeText converts one text-format value (as the server's output
// function prints it, with DateStyle ISO and TimeZone UTC) into the Go
// value the olap batch writer expects for the column's ClickHouse type.
// Unknown types stay text.
func decodeText(oid uint32, b []byte) (any, error) {
	switch oid {
	case oidBool:
		return boolValue(b)
	case oidInt8, oidOID:
		return strconv.ParseInt(string(b), 10, 64)
	case oidInt4:
		v, err := strconv.ParseInt(string(b), 10, 32)
		return int32(v), err
	case oidInt2:
		v, err := strconv.ParseInt(string(b), 10, 16)
		return int16(v), err
	case oidNumeric:
		return numericValue(b)
	case oidFloat4, oidFloat8:
		return strconv.ParseFloat(string(b), 64)
	case oidTimestamptz, oidTimestamp:
		return timestampValue(string(b))
	case oidDate:
		return dateValue(string(b))
	case oidBytea:
		return byteaValue(b)
	}
	return string(b), nil
}

func boolValue(b []byte) (any, error) {
	switch string(b) {
	case "t":
		return uint8(1), nil
	case "f":
		return uint8(0), nil
	}
	return nil, fmt.Errorf("bad boolean %q", b)
}

func numericValue(b []byte) (any, error) {
	s := string(b)
	if s == "NaN" || strings.HasSuffix(s, "Infinity") {
		return nil, fmt.Errorf("numeric %s has no ClickHouse Decimal form", s)
	}
	return decimal.NewFromString(s)
}

// timestampValue parses "2024-03-05 10:11:12.123456+00" (or without a zone
// for timestamp without time zone, read as UTC).
func timestampValue(s string) (any, error) {
	switch s {
	case "infinity":
		return clamped(maxCHTime), nil
	case "-infinity":
		return clamped(minCHTime), nil
	}
	for _, layout := range []string{"2006-01-02 15:04:05.999999999Z07", "2006-01-02 15:04:05.999999999Z07:00",
		"2006-01-02 15:04:05.999999999Z07:00:00", "2006-01-02 15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return clamp(t.UTC(), maxCHTime), nil
		}
	}
	if strings.HasSuffix(s, " BC") {
		return clamped(minCHTime), nil
	}
	if strings.IndexByte(s, '-') > 4 { // a year past 9999
		return clamped(maxCHTime), nil
	}
	return nil, fmt.Errorf("bad timestamp %q", s)
}

func dateValue(s string) (any, error) {
	switch s {
	case "infinity":
		return clamped(maxCHDate), nil
	case "-infinity":
		return clamped(minCHTime), nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return nil, fmt.Errorf("bad date %q", s)
	}
	return clamp(t, maxCHDate), nil
}

func clamp(t, max time.Time) time.Time {
	if t.Before(minCHTime) {
		return clamped(minCHTime)
	}
	if t.After(max) {
		return clamped(max)
	}
	return t
}

// byteaValue decodes the hex output format "\x0a1b" into raw bytes held
// in a string (the contract's Go value for a ClickHouse String).
func byteaValue(b []byte) (any, error) {
	if len(b) < 2 || b[0] != '\\' || b[1] != 'x' {
		return nil, fmt.Errorf("bytea not in hex format")
	}
	out := make([]byte, hex.DecodedLen(len(b)-2))
	if _, err := hex.Decode(out, b[2:]); err != nil {
		return nil, fmt.Errorf("bad bytea: %w", err)
	}
	return string(out), nil
}
