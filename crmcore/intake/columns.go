package intake

import (
	"sort"
	"strings"

	"github.com/voronka/voronka/internal/apperr"
)

// headerSynonyms maps usual column titles (lowered, trimmed) of Russian
// and English CRM exports to import fields. A field missing from the
// kind's fields (ImportFields) is ignored for that kind, except
// "company", which is a company's name when companies are imported.
var headerSynonyms = map[string]string{
	"title": "title", "название": "title", "заголовок": "title", "лид": "title", "название лида": "title",
	"name": "name", "full name": "name", "имя": "name", "фио": "name", "контакт": "name", "контактное лицо": "name",
	"first name": "first_name", "first_name": "first_name", "last name": "last_name", "last_name": "last_name",
	"middle name": "middle_name", "middle_name": "middle_name", "фамилия": "last_name", "отчество": "middle_name",
	"phone": "phone", "телефон": "phone", "тел.": "phone", "мобильный": "phone", "mobile": "phone", "рабочий телефон": "phone",
	"email": "email", "e-mail": "email", "почта": "email", "эл. почта": "email", "электронная почта": "email",
	"company": "company", "компания": "company", "организация": "company", "название компании": "company",
	"inn": "inn", "инн": "inn", "address": "address", "адрес": "address",
	"position": "position", "должность": "position", "source": "source", "источник": "source",
	"responsible": "responsible", "ответственный": "responsible",
	// Call logs (the plain format).
	"time": "time", "время": "time", "дата": "time", "дата и время": "time", "start": "time", "начало": "time",
	"from": "from", "откуда": "from", "кто звонил": "from", "звонящий": "from", "src": "from",
	"to": "to", "куда": "to", "кому": "to", "dst": "to",
	"duration": "duration", "длительность": "duration", "продолжительность": "duration", "billsec": "duration",
	"direction": "direction", "направление": "direction", "тип звонка": "direction",
	"extension": "extension", "sip login": "extension", "sip": "extension", "логин sip": "extension",
	"добавочный": "extension", "внутренний номер": "extension", "внутренний": "extension",
}

// ParseMap reads --map style pairs "column=field" (the column as it is
// written in the header).
func ParseMap(pairs []string) (map[string]string, error) {
	m := map[string]string{}
	for _, p := range pairs {
		col, field, ok := strings.Cut(p, "=")
		if !ok || strings.TrimSpace(col) == "" || strings.TrimSpace(field) == "" {
			return nil, apperr.Field("map", "invalid_value", "each mapping is column=field, got "+p)
		}
		m[strings.TrimSpace(col)] = strings.TrimSpace(field)
	}
	return m, nil
}

// columnFields decides the field of each header column: the explicit
// mapping first, then the synonyms; "" for an ignored column.
func columnFields(kind string, header []string, explicit map[string]string) ([]string, []string, error) {
	allowed := map[string]bool{}
	for _, f := range ImportFields[kind] {
		allowed[f] = true
	}
	lowered := map[string]string{}
	for col, field := range explicit {
		if !allowed[field] {
			return nil, nil, apperr.Field("map", "unknown_field", "field "+field+" is not one of: "+
				strings.Join(ImportFields[kind], ", "))
		}
		lowered[strings.ToLower(col)] = field
	}
	fields, ignored := make([]string, len(header)), []string{}
	for i, h := range header {
		key := strings.ToLower(strings.TrimSpace(h))
		f, ok := lowered[key]
		if !ok {
			f = kindField(kind, headerSynonyms[key])
		}
		if !allowed[f] {
			f = ""
			ignored = append(ignored, h)
		}
		fields[i] = f
	}
	if len(ignored) == len(header) {
		return nil, nil, apperr.Field("map", "no_columns", "no column maps to a field of "+kind+
			"; name them with map column=field")
	}
	sort.Strings(ignored)
	return fields, ignored, nil
}

// kindField adapts a synonym's field to the kind: a company's "company"
// column is its name.
func kindField(kind, f string) string {
	if kind == ImportCompanies && f == "company" {
		return "name"
	}
	return f
}
