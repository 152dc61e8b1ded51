package i18n

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Number formats and dates as a reader of each language expects them:
// Russian `1 234 567,89` (no-break spaces between thousands, a decimal
// comma), `9,4 %`, `31.03.2026`, `июнь 2026`; English `1,234,567.89`,
// `9.4%`, `2026-03-31`, `June 2026`.

// nbsp keeps a number on one line.
const nbsp = "\u00a0"

// Number is x with decimals digits after the point (rounded half away
// from zero), grouped by thousands in lang.
func Number(lang string, x float64, decimals int) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "—"
	}
	s := roundHalfAway(math.Abs(x), decimals)
	return Digits(lang, s, x < 0 && strings.Trim(s, "0.") != "")
}

// roundHalfAway rounds like PostgreSQL's round (and the kopeck rounding
// of the engine), not to even: strconv's 'f' rounds 0.125 to 0.12.
func roundHalfAway(x float64, decimals int) string {
	p := math.Pow10(decimals)
	r := math.Floor(x*p+0.5) / p
	if math.IsInf(r, 0) { // past float64's integers: as is
		r = x
	}
	return strconv.FormatFloat(r, 'f', decimals, 64)
}

// Digits groups a plain decimal text ("1234567.89", digits and at most one
// point, no sign) in lang, with a minus in front when negative.
func Digits(lang, plain string, negative bool) string {
	whole, frac, hasFrac := strings.Cut(plain, ".")
	sep, point := ",", "."
	if Parse(lang) == RU {
		sep, point = nbsp, ","
	}
	var b strings.Builder
	if negative {
		b.WriteString("−")
	}
	for i, d := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(d)
	}
	if hasFrac {
		b.WriteString(point + frac)
	}
	return b.String()
}

// Integer is n grouped by thousands.
func Integer(lang string, n int64) string {
	s := strconv.FormatInt(n, 10)
	return Digits(lang, strings.TrimPrefix(s, "-"), n < 0)
}

// Counted is n grouped by thousands with the form of the noun that
// follows it: in Russian one (1, 21, 101: «1 сделка»), few (2–4, 22–24:
// «124 сделки») or many (0, 5–20, 11–14, 25: «125 сделок»); in English
// one for 1 and many for the rest ("1 deal", "124 deals"). Each form is
// a Text of both languages (few's English is not used).
func Counted(lang string, n int64, one, few, many Text) string {
	form := many
	m10, m100 := n%10, n%100
	if m10 < 0 {
		m10, m100 = -m10, -m100
	}
	switch {
	case Parse(lang) == EN && (n == 1 || n == -1):
		form = one
	case Parse(lang) == EN:
	case m10 == 1 && m100 != 11:
		form = one
	case m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14):
		form = few
	}
	return Integer(lang, n) + nbsp + form.In(lang)
}

// Percent is a ratio (0.094) as a percentage with decimals digits:
// `9,4 %` in Russian, `9.4%` in English.
func Percent(lang string, ratio float64, decimals int) string {
	n := Number(lang, ratio*100, decimals)
	if Parse(lang) == RU {
		return n + nbsp + "%"
	}
	return n + "%"
}

// Roubles is an amount with two decimals and the rouble sign.
func Roubles(lang, plain string, negative bool) string {
	return Digits(lang, plain, negative) + nbsp + "₽"
}

// Date is a day: 31.03.2026 in Russian, 2026-03-31 in English.
func Date(lang string, t time.Time) string {
	if Parse(lang) == RU {
		return t.Format("02.01.2006")
	}
	return t.Format("2006-01-02")
}

// DateTime is a day and a time of day (to the minute).
func DateTime(lang string, t time.Time) string {
	if Parse(lang) == RU {
		return t.Format("02.01.2006 15:04")
	}
	return t.Format("2006-01-02 15:04")
}

var monthsRU = [12]string{"январь", "февраль", "март", "апрель", "май", "июнь",
	"июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"}

// Month is a calendar month: `июнь 2026`, `June 2026`.
func Month(lang string, t time.Time) string {
	if Parse(lang) == RU {
		return monthsRU[t.Month()-1] + " " + strconv.Itoa(t.Year())
	}
	return t.Format("January 2006")
}

// Quarter is a calendar quarter: `I кв. 2026`, `Q1 2026`.
func Quarter(lang string, t time.Time) string {
	q := (int(t.Month()) + 2) / 3
	if Parse(lang) == RU {
		return [4]string{"I", "II", "III", "IV"}[q-1] + nbsp + "кв." + nbsp + strconv.Itoa(t.Year())
	}
	return "Q" + strconv.Itoa(q) + " " + strconv.Itoa(t.Year())
}

// Decimal is x with at most decimals digits after the point, trailing
// zeros dropped: `12,5`, `3`.
func Decimal(lang string, x float64, decimals int) string {
	s := Number(lang, x, decimals)
	point := "."
	if Parse(lang) == RU {
		point = ","
	}
	if strings.Contains(s, point) {
		s = strings.TrimSuffix(strings.TrimRight(s, "0"), point)
	}
	return s
}
