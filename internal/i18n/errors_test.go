package i18n

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// codePatterns find the error codes the code returns: apperr.Field and
// the validators' fail (the code second), apperr.New (the code second),
// Code: "…" in an apperr.Error literal, and Code… / code… constants.
var codePatterns = []*regexp.Regexp{
	regexp.MustCompile(`(?:\.fail|\.Fail|apperr\.Field|invalid)\([^,()]+(?:\([^()]*\))?[^,()]*,\s*"([a-z][a-z0-9_]+)"`),
	regexp.MustCompile(`apperr\.New\([^,]+,\s*"([a-z][a-z0-9_]+)"`),
	regexp.MustCompile(`Code:\s*"([a-z][a-z0-9_]+)"`),
	regexp.MustCompile(`\b[Cc]ode[A-Z][A-Za-z]*\s*=\s*"([a-z][a-z0-9_]+)"`),
}

// scanCodes are the error codes in the Go files (tests aside) under the
// module's dirs, with a file that uses each.
func scanCodes(t *testing.T, dirs ...string) map[string]string {
	t.Helper()
	codes := map[string]string{}
	for _, dir := range dirs {
		err := filepath.WalkDir(filepath.Join("..", "..", dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, p := range codePatterns {
				for _, m := range p.FindAllStringSubmatch(string(b), -1) {
					codes[m[1]] = path
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return codes
}

// Every error code crmcore, reports and the dashboards return has its
// message in both languages; the scan itself must find the codes we know
// are there, so an empty scan cannot pass.
func TestEveryErrorCodeHasBothLanguages(t *testing.T) {
	codes := scanCodes(t, "crmcore", "reports", "dashboards", "internal/pgerr")
	for _, known := range []string{"before_from", "invalid_value", "transition_not_allowed", "outside_stored_days", "not_a_count", "impossible_cron"} {
		if _, ok := codes[known]; !ok {
			t.Fatalf("the scan missed %q: fix codePatterns", known)
		}
	}
	var missing []string
	for code, file := range codes {
		if !ErrorKnown(code) {
			missing = append(missing, code+" ("+file+")")
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("error codes without a text in both languages in errorTexts:\n%s", strings.Join(missing, "\n"))
	}
	for key, text := range errorTexts {
		if text.RU == "" || text.EN == "" {
			t.Errorf("%s: a text in one language only", key)
		}
	}
}

// Messages by code, by code and field, with parameters in the reader's
// formats; an unknown code gets the general text.
func TestErrorText(t *testing.T) {
	days := map[string]any{"first_day": "1970-01-01", "last_day": "2105-12-31", "max_limit": 100000}
	for _, c := range []struct{ lang, code, field, want string }{
		{"ru", "before_from", "period.to", "Конец периода раньше его начала: поменяйте даты местами."},
		{"en", "before_from", "definition.period.to", "The period ends before it starts: swap the dates."},
		{"ru", "required", "name", "Заполните это поле."},
		{"ru", "required", "definition.params.pipeline", "Выберите воронку."},
		{"ru", "duplicate", "recipients[3]", "Получатель указан дважды."},
		{"ru", "outside_stored_days", "period", "Период вне данных: выберите даты с 01.01.1970 по 31.12.2105."},
		{"en", "outside_stored_days", "period", "The period is outside the data: choose dates from 1970-01-01 to 2105-12-31."},
		{"ru", "out_of_range", "limit", "«Не больше строк» — от 1 до 100\u00a0000; пусто — все строки."},
		{"ru", "no_such_code", "", "Значение не подходит."},
		{"ru", "invalid_value", "filters[0].value", "Значение фильтра не подходит для этого поля."},
		{"ru", "invalid_value#money", "filters[0].value", "Нужна сумма: число, не больше двух знаков после запятой."},
		{"en", "invalid_value#date", "definition.filters[2].value", "A date is needed: pick it in the calendar."},
	} {
		params := days
		if code, want, ok := strings.Cut(c.code, "#"); ok {
			c.code, params = code, map[string]any{"want": want}
		}
		if got := ErrorText(c.lang, c.code, c.field, params); got != c.want {
			t.Errorf("%s %s@%s: %q, want %q", c.lang, c.code, c.field, got, c.want)
		}
	}
	if got := LowerFirst("Не больше 50 получателей."); got != "не больше 50 получателей." {
		t.Errorf("LowerFirst: %q", got)
	}
}
