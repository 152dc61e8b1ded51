package i18n

import (
	"strings"
	"testing"
	"time"
)

// Every expectation below is written out by hand, as a reader of each
// language would write the figure.
func TestFormats(t *testing.T) {
	const nb = "\u00a0"
	day := time.Date(2026, 3, 31, 14, 5, 0, 0, time.UTC)
	for _, c := range []struct{ got, want string }{
		{Number("ru", 219966310.28, 2), "219" + nb + "966" + nb + "310,28"},
		{Number("en", 219966310.28, 2), "219,966,310.28"},
		{Number("ru", 999.5, 0), "1" + nb + "000"},
		{Number("ru", 0.125, 2), "0,13"},
		{Number("en", -1234.5, 1), "−1,234.5"},
		{Number("ru", -0.001, 2), "0,00"},
		{Number("ru", 12, 0), "12"},
		{Integer("ru", 1234567), "1" + nb + "234" + nb + "567"},
		{Integer("en", -1000), "−1,000"},
		{Integer("ru", 999), "999"},
		{Percent("ru", 0.09448818897637795, 1), "9,4" + nb + "%"},
		{Percent("en", 0.09448818897637795, 1), "9.4%"},
		{Percent("ru", 1, 0), "100" + nb + "%"},
		{Roubles("ru", "1234567.89", false), "1" + nb + "234" + nb + "567,89" + nb + "₽"},
		{Roubles("en", "0.50", false), "0.50" + nb + "₽"},
		{Date("ru", day), "31.03.2026"},
		{Date("en", day), "2026-03-31"},
		{DateTime("ru", day), "31.03.2026 14:05"},
		{Month("ru", day), "март 2026"},
		{Month("ru", time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)), "июнь 2026"},
		{Month("en", day), "March 2026"},
		{Quarter("ru", day), "I" + nb + "кв." + nb + "2026"},
		{Quarter("ru", time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)), "IV" + nb + "кв." + nb + "2026"},
		{Quarter("en", time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)), "Q3 2026"},
		{Decimal("ru", 12.5, 2), "12,5"},
		{Decimal("ru", 1234.004, 2), "1" + nb + "234"},
		{Decimal("en", 1234.25, 2), "1,234.25"},
		{Decimal("ru", 120, 2), "120"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// TestCounted: the noun's form after a number, written out by hand.
func TestCounted(t *testing.T) {
	one, few, many := T("сделка", "deal"), T("сделки", "deals"), T("сделок", "deals")
	for _, c := range []struct {
		lang string
		n    int64
		want string
	}{
		{RU, 0, "0 сделок"}, {RU, 1, "1 сделка"}, {RU, 2, "2 сделки"}, {RU, 4, "4 сделки"}, {RU, 5, "5 сделок"},
		{RU, 11, "11 сделок"}, {RU, 12, "12 сделок"}, {RU, 14, "14 сделок"}, {RU, 21, "21 сделка"}, {RU, 22, "22 сделки"},
		{RU, 101, "101 сделка"}, {RU, 111, "111 сделок"}, {RU, 124, "124 сделки"}, {RU, 1001, "1\u00a0001 сделка"},
		{EN, 0, "0 deals"}, {EN, 1, "1 deal"}, {EN, 21, "21 deals"}, {EN, 1001, "1,001 deals"},
	} {
		if got := strings.ReplaceAll(Counted(c.lang, c.n, one, few, many), "\u00a0", " "); got != strings.ReplaceAll(c.want, "\u00a0", " ") {
			t.Errorf("Counted(%s, %d) = %q, want %q", c.lang, c.n, got, c.want)
		}
	}
}
