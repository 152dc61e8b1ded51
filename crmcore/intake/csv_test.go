package intake_test

import (
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/voronka/voronka/crmcore/intake"
	"github.com/voronka/voronka/internal/apperr"
)

// excelCP1251 writes rows the way Excel saves "CSV (разделители —
// точка с запятой)" on Russian Windows: Windows-1251, ';', CRLF, fields
// with ; " or a line break quoted and quotes doubled.
func excelCP1251(t *testing.T, rows [][]string) []byte {
	t.Helper()
	var b strings.Builder
	for _, r := range rows {
		for i, v := range r {
			if i > 0 {
				b.WriteByte(';')
			}
			if strings.ContainsAny(v, ";\"\r\n") {
				v = `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
			}
			b.WriteString(v)
		}
		b.WriteString("\r\n")
	}
	out, err := charmap.Windows1251.NewEncoder().Bytes([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestParseCSVWindows1251(t *testing.T) {
	data := excelCP1251(t, [][]string{
		{"Название", "ФИО", "Телефон", "Почта", "Организация", "Заметка"},
		{"Заявка", "Ёжиков Пётр", "8 916 000-00-01", "p@x.ru", `ООО "Ёлка; и Ко"`, "две\r\nстроки"},
		{"Вторая", "Иванова Анна", "", "", "", ""},
	})
	p, err := intake.ParseCSV(data, intake.Options{Kind: intake.ImportLeads})
	if err != nil {
		t.Fatal(err)
	}
	if p.Encoding != "cp1251" || p.Separator != ";" {
		t.Errorf("detected %s %q, want cp1251 ;", p.Encoding, p.Separator)
	}
	want := []intake.ImportRecord{
		{Line: 2, Fields: map[string]string{"title": "Заявка", "name": "Ёжиков Пётр", "phone": "8 916 000-00-01",
			"email": "p@x.ru", "company": `ООО "Ёлка; и Ко"`}},
		{Line: 4, Fields: map[string]string{"title": "Вторая", "name": "Иванова Анна", "phone": "", "email": "", "company": ""}},
	}
	if !reflect.DeepEqual(p.Records, want) {
		t.Errorf("records %+v\nwant %+v", p.Records, want)
	}
	if !reflect.DeepEqual(p.Ignored, []string{"Заметка"}) {
		t.Errorf("ignored %v", p.Ignored)
	}
}

func TestParseCSVUTF8BOMComma(t *testing.T) {
	data := append([]byte{0xEF, 0xBB, 0xBF}, []byte("Name,Phone,Fax\nИван Петров,+7 916 000 00 02,1\n")...)
	p, err := intake.ParseCSV(data, intake.Options{Kind: intake.ImportContacts, Map: map[string]string{"Fax": "position"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []intake.ImportRecord{{Line: 2, Fields: map[string]string{"name": "Иван Петров", "phone": "+7 916 000 00 02", "position": "1"}}}
	if p.Encoding != "utf-8" || p.Separator != "," || !reflect.DeepEqual(p.Records, want) {
		t.Errorf("got %s %q %+v", p.Encoding, p.Separator, p.Records)
	}
}

func TestParseCSVCommittedFile(t *testing.T) {
	data, err := os.ReadFile("testdata/leads_cp1251.csv")
	if err != nil {
		t.Fatal(err)
	}
	p, err := intake.ParseCSV(data, intake.Options{Kind: intake.ImportLeads, Encoding: "cp1251", Separator: ";"})
	if err != nil {
		t.Fatal(err)
	}
	var lines []int
	for _, r := range p.Records {
		lines = append(lines, r.Line)
	}
	if !reflect.DeepEqual(lines, []int{2, 3, 5, 6}) || p.Records[0].Fields["company"] != `ООО "Ромашка"` {
		t.Errorf("lines %v, first %+v", lines, p.Records[0].Fields)
	}
}

func TestParseBadInput(t *testing.T) {
	for _, c := range []struct {
		name  string
		data  string
		o     intake.Options
		field string
	}{
		{"unknown encoding", "a;b\n", intake.Options{Kind: "leads", Encoding: "koi8"}, "encoding"},
		{"not utf-8 when told", "\xcf\xf0\xe8\xe2\xe5\xf2\n", intake.Options{Kind: "leads", Encoding: "utf-8"}, "encoding"},
		{"map to unknown field", "a;b\n", intake.Options{Kind: "leads", Map: map[string]string{"a": "salary"}}, "map"},
		{"no known column", "a;b\n1;2\n", intake.Options{Kind: "leads"}, "map"},
		{"bad separator", "a;b\n", intake.Options{Kind: "leads", Separator: "|"}, "separator"},
		{"empty file", "", intake.Options{Kind: "leads"}, "file"},
	} {
		_, err := intake.ParseCSV([]byte(c.data), c.o)
		if e := apperr.As(err); e == nil || e.Field != c.field || e.Kind != apperr.Invalid {
			t.Errorf("%s: %v, want 422 on %s", c.name, err, c.field)
		}
	}
}

func TestParseCSVUnreadableRow(t *testing.T) {
	p, err := intake.ParseCSV([]byte("Телефон;Имя\n\"8916\"x;Иван\n+7916;Пётр\n"), intake.Options{Kind: "leads"})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Records) != 2 || p.Records[0].Err == "" || p.Records[0].Line != 2 || p.Records[1].Fields["name"] != "Пётр" {
		t.Errorf("records %+v", p.Records)
	}
}

func TestParseVCard(t *testing.T) {
	data, err := os.ReadFile("testdata/contacts.vcf")
	if err != nil {
		t.Fatal(err)
	}
	p, err := intake.ParseVCard(data, intake.Options{Kind: intake.ImportContacts})
	if err != nil {
		t.Fatal(err)
	}
	want := []intake.ImportRecord{
		{Line: 1, Fields: map[string]string{"name": "Петрова Анна Викторовна", "last_name": "Петрова", "first_name": "Анна",
			"middle_name": "Викторовна", "company": `ООО "Вектор"`, "position": "Менеджер по закупкам",
			"phone": "+7 (812) 700-00-01", "email": "anna.petrova@vector.ru"}},
		{Line: 10, Fields: map[string]string{"name": "Ivan Sidorov", "last_name": "Sidorov", "first_name": "Ivan",
			"company": "Acme Ltd.", "phone": "+7-921-000-00-02", "email": "ivan@acme.example"}},
	}
	if !reflect.DeepEqual(p.Records, want) {
		t.Errorf("cards %+v\nwant %+v", p.Records, want)
	}
	c, _ := intake.ParseVCard(data, intake.Options{Kind: intake.ImportCompanies})
	if c.Records[1].Fields["name"] != "Acme Ltd." {
		t.Errorf("company card %+v", c.Records[1].Fields)
	}
	if _, err := intake.ParseVCard([]byte("hello"), intake.Options{Kind: "contacts"}); apperr.KindOf(err) != apperr.Invalid {
		t.Errorf("no cards: %v", err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
