package xlsx

import (
	"github.com/xuri/excelize/v2"

	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
)

// styles are the workbook's cell styles: one per column type for data
// and for the totals row (bold), and the title, header and note rows.
type styles struct {
	title, header, note, key int
	cell, total              map[string]int // by column type
}

// The number formats of dates and times in each language.
var (
	dateFormat     = i18n.T("dd.mm.yyyy", "yyyy-mm-dd")
	dateTimeFormat = i18n.T("dd.mm.yyyy hh:mm", "yyyy-mm-dd hh:mm")
)

// numFmts is the number format of each column type; dates follow the
// language.
func numFmts(lang string) map[string]string {
	return map[string]string{
		reports.TypeInteger:  "#,##0",
		reports.TypeNumber:   "#,##0.00",
		reports.TypeMoney:    `#,##0.00 "₽"`,
		reports.TypePercent:  "0.0%",
		reports.TypeDate:     dateFormat.In(lang),
		reports.TypeDateTime: dateTimeFormat.In(lang),
		reports.TypeString:   "@",
	}
}

func newStyles(f *excelize.File, lang string) (*styles, error) {
	s := &styles{cell: map[string]int{}, total: map[string]int{}}
	var err error
	add := func(st *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(st)
		return id
	}
	s.title = add(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}})
	s.header = add(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE5F0"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}})
	s.note = add(&excelize.Style{Font: &excelize.Font{Italic: true, Color: "666666"}})
	s.key = add(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "top"}})
	for typ, fmt := range numFmts(lang) {
		f := fmt
		s.cell[typ] = add(&excelize.Style{CustomNumFmt: &f})
		s.total[typ] = add(&excelize.Style{CustomNumFmt: &f, Font: &excelize.Font{Bold: true},
			Border: []excelize.Border{{Type: "top", Color: "000000", Style: 1}}})
	}
	return s, err
}

// cellStyle is the data style of a column type (text for unknown ones).
func (s *styles) cellStyle(typ string) int {
	if id, ok := s.cell[typ]; ok {
		return id
	}
	return s.cell[reports.TypeString]
}

// totalStyle is the totals-row style of a column type.
func (s *styles) totalStyle(typ string) int {
	if id, ok := s.total[typ]; ok {
		return id
	}
	return s.total[reports.TypeString]
}

// width is a column's width in characters: its header and the longest
// of the sample's values, between 8 and 60.
func width(header string, typ string, sample [][]any, col int) float64 {
	n := runeLen(header)/2 + 2 // headers wrap onto two lines
	for _, r := range sample {
		if col < len(r) {
			if l := runeLen(display(r[col], typ)) + 2; l > n {
				n = l
			}
		}
	}
	return float64(min(max(n, 8), 60))
}
