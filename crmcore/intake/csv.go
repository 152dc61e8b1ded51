package intake

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"

	"github.com/voronka/voronka/internal/apperr"
)

// Options say how to read a file: its kind (leads, contacts,
// companies), encoding ("" detects), separator ("" detects ; , or tab)
// and explicit column → field mapping.
type Options struct {
	Kind      string
	Encoding  string
	Separator string
	Map       map[string]string
}

// Parsed is a read file: its records and how it was read.
type Parsed struct {
	Records   []ImportRecord    `json:"-"`
	Encoding  string            `json:"encoding"`
	Separator string            `json:"separator,omitempty"`
	Columns   map[string]string `json:"columns"`
	Ignored   []string          `json:"ignored_columns"`
}

// maxBadRows stops reading a file that is not CSV at all.
const maxBadRows = 100

// ParseCSV reads a CSV file with a header row, as spreadsheets write it:
// quoted fields with doubled quotes, CRLF or LF line ends, a UTF-8 BOM or
// Windows-1251 text. A row that cannot be read becomes a record with Err
// (its line number is the file's), so the import reports it.
func ParseCSV(data []byte, o Options) (Parsed, error) {
	text, enc, err := ToUTF8(data, o.Encoding)
	if err != nil {
		return Parsed{}, err
	}
	sep, err := separator(text, o.Separator)
	if err != nil {
		return Parsed{}, err
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma, r.FieldsPerRecord = sep, -1
	header, err := r.Read()
	if err != nil {
		return Parsed{}, apperr.Field("file", "no_header", "the file has no header row")
	}
	fields, ignored, err := columnFields(o.Kind, header, o.Map)
	if err != nil {
		return Parsed{}, err
	}
	p := Parsed{Encoding: enc, Separator: string(sep), Columns: map[string]string{}, Ignored: ignored}
	for i, h := range header {
		if fields[i] != "" {
			p.Columns[h] = fields[i]
		}
	}
	p.Records, err = readRows(r, fields)
	return p, err
}

func readRows(r *csv.Reader, fields []string) ([]ImportRecord, error) {
	var out []ImportRecord
	bad := 0
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			out = append(out, ImportRecord{Line: pe.StartLine, Err: pe.Err.Error()})
			if bad++; bad > maxBadRows {
				return nil, apperr.Field("file", "not_csv", "more than 100 unreadable rows: is this a CSV file?")
			}
			continue
		}
		if err != nil {
			return nil, apperr.Field("file", "unreadable", err.Error())
		}
		line, _ := r.FieldPos(0)
		rec := ImportRecord{Line: line, Fields: map[string]string{}}
		for i, v := range row {
			if i < len(fields) && fields[i] != "" {
				rec.Fields[fields[i]] = v
			}
		}
		out = append(out, rec)
	}
}

// separator is the given one, or whichever of ; , and tab the header
// line holds most of.
func separator(text, given string) (rune, error) {
	switch given {
	case ";", ",", "\t":
		return rune(given[0]), nil
	case "tab":
		return '\t', nil
	case "", "auto":
	default:
		return 0, apperr.Field("separator", "invalid_value", "must be ; , or tab")
	}
	head, _, _ := strings.Cut(text, "\n")
	best, n := ',', strings.Count(head, ",")
	for _, c := range []rune{';', '\t'} {
		if k := strings.Count(head, string(c)); k > n {
			best, n = c, k
		}
	}
	return best, nil
}
