package crmcore_test

import (
	"context"
	"testing"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/internal/testenv"
)

// keyCase is one normalisation rule example: input and the key written
// out by hand ("" = no key).
type keyCase struct{ in, want string }

var phoneCases = []keyCase{
	{"+7 (916) 123-45-67", "79161234567"},
	{"8 916 123 45 67", "79161234567"},
	{"8(916)1234567", "79161234567"},
	{"916-123-45-67", "79161234567"},
	{"7 916 123 45 67", "79161234567"},
	{"+49 30 1234567", "49301234567"},
	{"123-45", ""},
	{"", ""},
	{"тел.", ""},
}

var emailCases = []keyCase{
	{" Ivan.Petrov@Mail.RU ", "ivan.petrov@mail.ru"},
	{"ivan.petrov@mail.ru", "ivan.petrov@mail.ru"},
	{"ПОЧТА@Пример.РФ", "почта@пример.рф"},
	{"no-at-sign", ""},
	{"@mail.ru", ""},
	{"", ""},
}

var companyCases = []keyCase{
	{`ООО «Альфа-Строй»`, "альфастрой"},
	{`"Альфа Строй", ООО`, "альфастрой"},
	{`АльфаСтрой LLC`, "альфастрой"},
	{`ооо "альфа строй"`, "альфастрой"},
	{`Общество с ограниченной ответственностью „Альфа-Строй“`, "альфастрой"},
	{`ЗАО "Ёлка"`, "елка"},
	{`Елка АО`, "елка"},
	{`ПАО «Рога и Копыта»`, "рогаикопыта"},
	{`Рога-и-Копыта, ОАО`, "рогаикопыта"},
	{`Acme Ltd.`, "acme"},
	{`ACME, Inc.`, "acme"},
	{`Acme GmbH`, "acme"},
	{`ИП Сидоров`, "сидоров"},
	{`НКО Фонд`, "фонд"},
	{`ООО`, ""},
	{`Альфа`, "альфа"},
}

var personCases = []keyCase{
	{"Иванов Иван", "иван иванов"},
	{"Иван Иванов", "иван иванов"},
	{"ИВАНОВ  иван", "иван иванов"},
	{"Иванов Иван Петрович", "иван иванов"},
	{"Петрова Анна Викторовна", "анна петрова"},
	{"Ёжикова Анна Ильинична", "анна ежикова"},
	{"Иван", ""},
	{"Иван Петрович Сидоров", "иван сидоров"},
	{"", ""},
}

func TestDupKeysGo(t *testing.T) {
	for _, set := range []struct {
		name  string
		fn    func(string) string
		cases []keyCase
	}{
		{"phone", crmcore.PhoneKey, phoneCases},
		{"email", crmcore.EmailKey, emailCases},
		{"company", crmcore.CompanyKey, companyCases},
		{"person", crmcore.PersonKey, personCases},
	} {
		for _, c := range set.cases {
			if got := set.fn(c.in); got != c.want {
				t.Errorf("%s(%q) = %q, want %q", set.name, c.in, got, c.want)
			}
		}
	}
	if crmcore.ContactPersonKey("Иван", "Иванов") != crmcore.PersonKey("Иван Иванов") {
		t.Error("a contact's first+last name key differs from the same full name")
	}
}

// TestDupKeysSQL runs every case through the database functions the
// expression indexes use: the Go and SQL keys must be the same.
func TestDupKeysSQL(t *testing.T) {
	pg := testenv.NewPG(t)
	for fn, cases := range map[string][]keyCase{
		"voronka_phone_key": phoneCases, "voronka_email_key": emailCases,
		"voronka_company_key": companyCases, "voronka_person_key": personCases,
	} {
		for _, c := range cases {
			var got *string
			if err := pg.Pool.QueryRow(context.Background(), "SELECT "+fn+"($1)", c.in).Scan(&got); err != nil {
				t.Fatalf("%s(%q): %v", fn, c.in, err)
			}
			s := ""
			if got != nil {
				s = *got
			}
			if s != c.want {
				t.Errorf("%s(%q) = %q, want %q", fn, c.in, s, c.want)
			}
		}
	}
}
