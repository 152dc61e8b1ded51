package schedule

import (
	"testing"

	"github.com/voronka/voronka/domain"
)

// The mail's text reads as it always has, in each language (an unknown
// one reads Russian).
func TestSummaryInBothLanguages(t *testing.T) {
	u := domain.Principal{Name: "Иванов Иван"}
	f := &file{Name: "Сделки 01.02.2025–28.02.2025.xlsx", Rows: 12}
	ru := "Здравствуйте, Иванов Иван!\r\n\r\nВо вложении отчёт «Сделки» — 01.02.2025–28.02.2025: строк — 12, по вашим правам доступа.\r\n" +
		"Расписание «Еженедельно» (0 9 * * 1, Europe/Moscow).\r\n\r\nВоронка\r\n"
	en := "Hello, Иванов Иван.\r\n\r\nThe report \"Сделки\" — 01.02.2025–28.02.2025 is attached: 12 rows, read with your access.\r\n" +
		"Schedule \"Еженедельно\" (0 9 * * 1, Europe/Moscow).\r\n\r\nVoronka\r\n"
	for _, c := range []struct{ lang, want string }{{"ru", ru}, {"en", en}, {"", ru}, {"de", ru}} {
		j := &job{sch: Schedule{Lang: c.lang, Name: "Еженедельно", Cron: "0 9 * * 1", Timezone: "Europe/Moscow"}, name: "Сделки"}
		if got := summary(j, u, f); got != c.want {
			t.Errorf("summary in %q:\n%q\nwant\n%q", c.lang, got, c.want)
		}
	}
}
