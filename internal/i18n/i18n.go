// Package i18n is Voronka's one way to speak Russian and English: a text
// in both languages (Text), texts by key (Catalog), and the language a
// request asks for (Parse). Russian is the default everywhere: pages,
// report labels and definitions, workbooks, mail. The engine's labels,
// the pages' messages and the workbooks' words all use it, so that a
// third language, or localised errors, would be added in one place.
package i18n

// The languages.
const (
	RU = "ru"
	EN = "en"
)

// Langs lists the languages, for validation messages.
var Langs = []string{RU, EN}

// Parse reads a language code: "en" is English, anything else Russian.
func Parse(code string) string {
	if code == EN {
		return EN
	}
	return RU
}

// Valid reports whether code names a language exactly ("ru" or "en").
func Valid(code string) bool { return code == RU || code == EN }

// Other is the language a page offers to switch to.
func Other(lang string) string {
	if Parse(lang) == EN {
		return RU
	}
	return EN
}

// Text is one text in both languages. An empty English text falls back
// to the Russian one.
type Text struct{ RU, EN string }

// T is a Text, for declarations: i18n.T("Итого", "Total").
func T(ru, en string) Text { return Text{RU: ru, EN: en} }

// In is the text in lang (Parse's reading of it).
func (t Text) In(lang string) string {
	if Parse(lang) == EN && t.EN != "" {
		return t.EN
	}
	return t.RU
}

// Catalog is texts by key.
type Catalog map[string]Text

// T is the text of key in lang; a key the catalog lacks is its own text.
func (c Catalog) T(lang, key string) string {
	if t, ok := c[key]; ok {
		return t.In(lang)
	}
	return key
}

// Translator is the lookup of lang: for templates and handlers.
func (c Catalog) Translator(lang string) func(key string) string {
	return func(key string) string { return c.T(lang, key) }
}

// Merge adds the texts of others to c (for catalogs declared per page);
// a key declared twice panics: two texts for one key is a bug.
func (c Catalog) Merge(others ...Catalog) Catalog {
	for _, o := range others {
		for k, t := range o {
			if _, dup := c[k]; dup {
				panic("i18n: key " + k + " declared twice")
			}
			c[k] = t
		}
	}
	return c
}
