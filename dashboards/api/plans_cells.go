package api

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// The columns of a plan file, by their headers as finance writes them:
// Russian as on the plan page, English, or the API's metric names.
// Headers compare by normHeader: case, ё, units (₽, руб.) and
// parenthesised notes do not matter.
const (
	colManager  = "manager"
	colMonth    = "month"
	colPipeline = "pipeline"
)

var planHeaders = map[string]string{
	"менеджер": colManager, "ответственный": colManager, "сотрудник": colManager, "фио": colManager,
	"manager": colManager, "responsible": colManager, "employee": colManager, "email": colManager, "e-mail": colManager,
	"месяц": colMonth, "период": colMonth, "month": colMonth, "period": colMonth,
	"воронка": colPipeline, "pipeline": colPipeline,
	"выручка": "won_amount", "сумма выигранных сделок": "won_amount", "сумма продаж": "won_amount", "продажи": "won_amount",
	"revenue": "won_amount", "won amount": "won_amount", "won_amount": "won_amount",
	"выиграно сделок": "won_count", "выигранные сделки": "won_count", "выигранных сделок": "won_count",
	"won deals": "won_count", "deals won": "won_count", "won count": "won_count", "won_count": "won_count",
	"новые сделки": "new_deals", "новых сделок": "new_deals", "new deals": "new_deals", "new_deals": "new_deals",
	"звонки": "calls", "звонков": "calls", "calls": "calls",
	"встречи": "meetings", "встреч": "meetings", "meetings": "meetings",
}

var (
	headerNotes = regexp.MustCompile(`\([^)]*\)`)
	headerPunct = strings.NewReplacer(",", " ", ":", " ", ";", " ", "*", " ", "₽", " ")
	headerUnits = map[string]bool{"руб": true, "руб.": true, "rub": true, "шт": true, "шт.": true}
)

// normHeader is a header as planHeaders keys it.
func normHeader(h string) string {
	h = strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(h, "\ufeff")), "ё", "е")
	var words []string
	for _, w := range strings.Fields(headerPunct.Replace(headerNotes.ReplaceAllString(h, " "))) {
		if !headerUnits[w] {
			words = append(words, w)
		}
	}
	return strings.Join(words, " ")
}

// headerColumns are a header row's columns (colManager, a metric… or ""
// for a column the import ignores).
func headerColumns(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = planHeaders[normHeader(c)]
	}
	return out
}

// findHeader is the index of the header row: the first of the sheet's
// first ten non-empty rows with a manager column (a title may sit above).
func findHeader(sh planSheet) (int, bool) {
	seen := 0
	for i, r := range sh.Rows {
		if blankRow(r.Cells) {
			continue
		}
		for _, c := range headerColumns(r.Cells) {
			if c == colManager {
				return i, true
			}
		}
		if seen++; seen == 10 {
			break
		}
	}
	return 0, false
}

func blankRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// numberSpaces are what digit groups are written with; numberUnits
// what may follow an amount.
var (
	numberSpaces = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", "\u2009", "", "'", "", "\u2212", "-")
	numberUnits  = regexp.MustCompile(`(?i)\s*(₽|руб\.?|р\.|rub)$`)
	plainNumber  = regexp.MustCompile(`^-?\d+(\.\d+)?$`)
)

// parsePlanNumber reads a figure as people type it: 1 234 567,89 (a
// decimal comma, spaces between digit groups), 1234567.89, 1,234,567.89,
// 1.234.567,89, with ₽ or руб. after it.
func parsePlanNumber(s string) (decimal.Decimal, bool) {
	s = numberSpaces.Replace(numberUnits.ReplaceAllString(strings.TrimSpace(s), ""))
	dot, comma := strings.LastIndex(s, "."), strings.LastIndex(s, ",")
	switch {
	case dot >= 0 && comma >= 0 && comma > dot: // 1.234.567,89
		s = strings.ReplaceAll(s[:comma], ".", "") + "." + s[comma+1:]
	case dot >= 0 && comma >= 0: // 1,234,567.89
		s = strings.ReplaceAll(s, ",", "")
	case strings.Count(s, ",") == 1: // 1234567,89
		s = strings.Replace(s, ",", ".", 1)
	case strings.Count(s, ",") > 1: // 1,234,567
		s = strings.ReplaceAll(s, ",", "")
	case strings.Count(s, ".") > 1: // 1.234.567
		s = strings.ReplaceAll(s, ".", "")
	}
	if !plainNumber.MatchString(s) {
		return decimal.Decimal{}, false
	}
	d, err := decimal.NewFromString(s)
	return d, err == nil
}

// monthNames are the months' names by their first three letters, in
// Russian (any case: март, марта) and English.
var monthNames = map[string]time.Month{
	"янв": 1, "фев": 2, "мар": 3, "апр": 4, "май": 5, "мая": 5, "июн": 6, "июл": 7, "авг": 8, "сен": 9, "окт": 10, "ноя": 11, "дек": 12,
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}

var (
	monthWords = regexp.MustCompile(`^(\p{L}+)\.?\s+(\d{4})(?:\s*(?:г\.?|года?))?$`)
	monthISO   = regexp.MustCompile(`^(\d{4})-(\d{1,2})(?:-(\d{1,2})(?:[T ].*)?)?$`)
	monthDots  = regexp.MustCompile(`^(\d{1,2})\.(\d{1,2})\.(\d{4})(?: .*)?$`)
	monthShort = regexp.MustCompile(`^(\d{1,2})[./](\d{4})$`)
)

// parsePlanMonth reads a month as YYYY-MM: 2026-03, 03.2026, a date
// (2026-03-15, 15.03.2026, an XLSX date's serial number when xlsx), or
// words (март 2026, марта 2026 г., Mar 2026).
func parsePlanMonth(s string, xlsx bool) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	ym := func(y, m string) (string, bool) {
		yi, _ := strconv.Atoi(y)
		mi, _ := strconv.Atoi(m)
		if yi < 2000 || yi > 2100 || mi < 1 || mi > 12 {
			return "", false
		}
		return time.Date(yi, time.Month(mi), 1, 0, 0, 0, 0, time.UTC).Format("2006-01"), true
	}
	if m := monthISO.FindStringSubmatch(s); m != nil {
		return ym(m[1], m[2])
	}
	if m := monthDots.FindStringSubmatch(s); m != nil {
		return ym(m[3], m[2])
	}
	if m := monthShort.FindStringSubmatch(s); m != nil {
		return ym(m[2], m[1])
	}
	if m := monthWords.FindStringSubmatch(s); m != nil {
		r := []rune(m[1])
		if n, ok := monthNames[string(r[:min(3, len(r))])]; ok && len(r) >= 3 && len(r) <= 9 {
			return ym(m[2], strconv.Itoa(int(n)))
		}
	}
	if x, err := strconv.ParseFloat(s, 64); err == nil && xlsx && x >= 1 && x < 2958466 {
		if t, err := excelize.ExcelDateToTime(x, false); err == nil {
			return ym(strconv.Itoa(t.Year()), strconv.Itoa(int(t.Month())))
		}
	}
	return "", false
}
