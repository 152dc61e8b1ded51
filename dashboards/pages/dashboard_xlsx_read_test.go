package pages_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"path"
	"strings"
	"testing"
)

// A workbook read back with archive/zip and encoding/xml only (not the
// library that wrote it): its parts, and each sheet's cells by name.

// xlCell is one cell: its text and whether the file stores it as a
// number.
type xlCell struct {
	Text   string
	Number bool
}

// xlBook is a workbook read back.
type xlBook struct {
	parts  map[string][]byte
	sheets map[string][][]xlCell // by sheet name: rows of cells, by column
}

// readXLSX opens a workbook's zip and reads every sheet.
func readXLSX(t *testing.T, file []byte) *xlBook {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(file), int64(len(file)))
	if err != nil {
		t.Fatalf("not a zip file: %v", err)
	}
	b := &xlBook{parts: map[string][]byte{}, sheets: map[string][][]xlCell{}}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b.parts[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	shared := b.sharedStrings(t)
	for name, part := range b.sheetParts(t) {
		b.sheets[name] = b.sheetCells(t, part, shared)
	}
	return b
}

// sheetParts maps sheet names to their parts (workbook.xml and its
// relationships).
func (b *xlBook) sheetParts(t *testing.T) map[string]string {
	t.Helper()
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	b.decode(t, "xl/workbook.xml", &wb)
	b.decode(t, "xl/_rels/workbook.xml.rels", &rels)
	out := map[string]string{}
	for _, s := range wb.Sheets {
		for _, r := range rels.Rel {
			if r.ID == s.RID {
				out[s.Name] = path.Join("xl", r.Target)
				if strings.HasPrefix(r.Target, "/") { // absolute in the package
					out[s.Name] = strings.TrimPrefix(r.Target, "/")
				}
			}
		}
	}
	return out
}

// decode reads one XML part.
func (b *xlBook) decode(t *testing.T, part string, v any) {
	t.Helper()
	data, ok := b.parts[part]
	if !ok {
		t.Fatalf("no part %s", part)
	}
	if err := xml.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", part, err)
	}
}

// xlText is a string item or an inline string: plain or in runs.
type xlText struct {
	T    string   `xml:"t"`
	Runs []string `xml:"r>t"`
}

func (x xlText) String() string { return x.T + strings.Join(x.Runs, "") }

// sharedStrings is the shared string table (none is fine).
func (b *xlBook) sharedStrings(t *testing.T) []string {
	t.Helper()
	if _, ok := b.parts["xl/sharedStrings.xml"]; !ok {
		return nil
	}
	var sst struct {
		Items []xlText `xml:"si"`
	}
	b.decode(t, "xl/sharedStrings.xml", &sst)
	out := make([]string, len(sst.Items))
	for i, it := range sst.Items {
		out[i] = it.String()
	}
	return out
}

// sheetCells reads a sheet's rows, each cell at its column.
func (b *xlBook) sheetCells(t *testing.T, part string, shared []string) [][]xlCell {
	t.Helper()
	var ws struct {
		Rows []struct {
			Cells []struct {
				Ref    string `xml:"r,attr"`
				Type   string `xml:"t,attr"`
				Value  string `xml:"v"`
				Inline xlText `xml:"is"`
			} `xml:"c"`
		} `xml:"sheetData>row"`
	}
	b.decode(t, part, &ws)
	var out [][]xlCell
	for _, r := range ws.Rows {
		var row []xlCell
		for _, c := range r.Cells {
			col := 0
			for _, ch := range c.Ref {
				if ch >= 'A' && ch <= 'Z' {
					col = col*26 + int(ch-'A'+1)
				}
			}
			for len(row) < col {
				row = append(row, xlCell{})
			}
			cell := &row[col-1]
			switch c.Type {
			case "s":
				var i int
				for _, d := range c.Value {
					i = i*10 + int(d-'0')
				}
				cell.Text = shared[i]
			case "inlineStr":
				cell.Text = c.Inline.String()
			case "", "n":
				cell.Text, cell.Number = c.Value, c.Value != ""
			default:
				cell.Text = c.Value
			}
		}
		out = append(out, row)
	}
	return out
}

// params is the parameters sheet as label → value.
func (b *xlBook) params(t *testing.T, sheet string) map[string]string {
	t.Helper()
	rows, ok := b.sheets[sheet]
	if !ok {
		t.Fatalf("no sheet %s", sheet)
	}
	out := map[string]string{}
	for _, r := range rows {
		if len(r) >= 2 {
			out[r[0].Text] = r[1].Text
		}
	}
	return out
}
