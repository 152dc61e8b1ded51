package i18n

import "testing"

func TestTextsAndCatalogs(t *testing.T) {
	total := T("Итого", "Total")
	for _, c := range []struct{ lang, want string }{{"en", "Total"}, {"ru", "Итого"}, {"", "Итого"}, {"de", "Итого"}} {
		if got := total.In(c.lang); got != c.want {
			t.Errorf("In(%q) = %q, want %q", c.lang, got, c.want)
		}
	}
	if got := T("Только по-русски", "").In(EN); got != "Только по-русски" {
		t.Errorf("an empty English text should fall back to Russian, got %q", got)
	}
	cat := Catalog{"total": total}
	if got := cat.T("en", "total"); got != "Total" {
		t.Errorf("T = %q", got)
	}
	if got := cat.Translator("ru")("missing"); got != "missing" {
		t.Errorf("a missing key should be its own text, got %q", got)
	}
	if Other("en") != RU || Other("ru") != EN || Other("") != EN {
		t.Error("Other")
	}
	if !Valid("ru") || !Valid("en") || Valid("") || Valid("EN") {
		t.Error("Valid")
	}
	defer func() {
		if recover() == nil {
			t.Error("Merge accepted a key twice")
		}
	}()
	cat.Merge(Catalog{"total": total})
}
