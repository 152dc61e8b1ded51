package domain_test

import (
	"strings"
	"testing"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

func TestCheckText(t *testing.T) {
	for _, c := range []struct {
		name     string
		s        string
		required bool
		max      int
		want     string
	}{
		{"plain Russian", "Поставка станков", true, 255, ""},
		{"tab, newline and carriage return are text", "строка 1\r\n\tстрока 2", true, 255, ""},
		{"NUL", "a\x00b", false, 255, "invalid_encoding"},
		{"another control character", "a\x07b", false, 255, "invalid_encoding"},
		{"DEL", "a\x7fb", false, 255, "invalid_encoding"},
		{"not UTF-8", "\xff", false, 255, "invalid_encoding"},
		{"a lone surrogate (as WTF-8 bytes)", "a\xed\xa0\x80b", false, 255, "invalid_encoding"},
		{"blank but required", "  ", true, 255, "required"},
		{"empty and optional", "", false, 255, ""},
		{"exactly the limit in characters", strings.Repeat("я", 255), true, 255, ""},
		{"one over the limit", strings.Repeat("я", 256), true, 255, "too_long"},
		{"encoding is named before length", strings.Repeat("я", 300) + "\x00", true, 255, "invalid_encoding"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := domain.CheckText(c.s, c.required, c.max); got != c.want {
				t.Errorf("CheckText(%q) = %q, want %q", c.s, got, c.want)
			}
		})
	}
}

func TestCheckNameRefusesControlCharacters(t *testing.T) {
	for name, want := range map[string]string{"a\x00b": "invalid_encoding", "": "required", strings.Repeat("ы", 256): "too_long"} {
		e := apperr.As(domain.CheckName("report", name))
		if e == nil || e.Kind != apperr.Invalid || e.Code != want || e.Field != "name" {
			t.Errorf("CheckName(%q) = %v, want 422 %s on name", name, e, want)
		}
	}
	if err := domain.CheckName("report", "Воронка продаж"); err != nil {
		t.Errorf("a good name refused: %v", err)
	}
}
