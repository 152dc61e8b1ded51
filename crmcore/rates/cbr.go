package rates

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"golang.org/x/text/encoding/charmap"
)

// Bank is one rate read from a Bank of Russia file: roubles per one unit
// (the file's Value divided by its Nominal) valid from Date.
type Bank struct {
	BankID   string // the bank's own code, R01235
	Currency string // ISO code: the file's CharCode, or the bank's id mapped (BankIDs)
	Date     time.Time
	Rate     decimal.Decimal
	Line     int // where the record starts in the file
}

// File is a parsed Bank of Russia file.
type File struct {
	Kind  string // "daily" (XML_daily.asp) or "dynamic" (XML_dynamic.asp)
	Rates []Bank
}

// ParseError says where a file is malformed: the line and the element.
type ParseError struct {
	Line    int
	Element string
	Msg     string
}

func (e *ParseError) Error() string {
	if e.Element == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return fmt.Sprintf("line %d, <%s>: %s", e.Line, e.Element, e.Msg)
}

// Scale is the decimal places a rate keeps: currency_rates.rate is
// numeric(20, 8), and the bank's four decimals over a Nominal of up to
// 10 000 need all eight.
const Scale = 8

// Parse reads a Bank of Russia XML file: the daily rates (ValCurs Date=…
// with Valute elements) or one currency's dynamic (ValCurs ID=… with
// Record elements). currency names the dynamic file's currency when the
// bank's id is not in BankIDs ("" otherwise; it must agree with it
// when it is). The file is Windows-1251 as the bank writes it (or UTF-8
// when it says so); values take a decimal comma.
func Parse(data []byte, currency string) (File, error) {
	if err := checkEncoding(data); err != nil {
		return File{}, err
	}
	p := &parser{dec: xml.NewDecoder(bytes.NewReader(data)), currency: strings.ToUpper(strings.TrimSpace(currency))}
	p.dec.CharsetReader = charsetReader
	return p.file()
}

// checkEncoding refuses a file that declares Windows-1251 but holds
// UTF-8 text beyond ASCII (re-saved by an editor): read as Windows-1251
// it would be garbage without an error.
func checkEncoding(data []byte) error {
	head := data[:min(len(data), 200)]
	if !bytes.Contains(bytes.ToLower(head), []byte("windows-1251")) {
		return nil
	}
	for _, b := range data {
		if b >= 0x80 {
			if utf8.Valid(data) {
				return &ParseError{Line: 1, Msg: "the file says windows-1251 but its text is UTF-8 (was it re-saved?): download it again"}
			}
			return nil
		}
	}
	return nil
}

func charsetReader(label string, input io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "windows-1251", "cp1251", "win-1251":
		return charmap.Windows1251.NewDecoder().Reader(input), nil
	case "utf-8", "utf8":
		return input, nil
	}
	return nil, fmt.Errorf("unsupported encoding %q: the bank writes windows-1251", label)
}
