package pages_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
	"github.com/voronka/voronka/dashboards/server"
)

// postFile sends data as the rates page's import form (multipart, with
// the CSRF field and cookies) as alias.
func postFile(t *testing.T, ts *dashtest.Server, as string, data []byte) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", dashtest.CSRF)
	fw, _ := mw.CreateFormFile("file", "XML_daily.asp")
	fw.Write(data)
	mw.Close()
	req := httptest.NewRequest("POST", "/rates/import", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(&http.Cookie{Name: server.CSRFCookie, Value: dashtest.CSRF})
	req.AddCookie(&http.Cookie{Name: server.SessionCookie, Value: ts.Tokens[as]})
	resp, err := ts.Srv.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// fieldError is the text of the error shown beside a field of the rates
// form ("" none).
func fieldError(body, id string) string {
	m := regexp.MustCompile(`id="` + id + `-error" role="alert">([^<]*)<`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return m[1]
}

// The rates form refuses each bad field with its error beside it (422),
// keeping what was typed, and stores nothing; a manager may not post it;
// a currency's only rate cannot be removed; a good rate typed the
// Russian way is stored as the API says it.
func TestRatesPageForm(t *testing.T) {
	ts := dashtest.New(t)
	post := func(as, path string, f url.Values) (int, string) {
		f.Set("csrf", dashtest.CSRF)
		st, body, _ := ts.PageBody("POST", path, as, f)
		return st, body
	}
	form := func(cur, day, rate string) url.Values {
		return url.Values{"currency": {cur}, "valid_from": {day}, "rate": {rate}}
	}
	rows := ts.RowCount("currency_rates")
	for _, tc := range []struct {
		name, cur, day, rate, field, want string
	}{
		{"a word", "USD", "02.03.2024", "много", "rate-rate", "«много» — не число: пишите, например, 1 500 000 или 1500000,50."},
		{"zero", "USD", "02.03.2024", "0", "rate-rate", "Курс — рублей за одну единицу валюты: больше нуля."},
		{"negative", "USD", "02.03.2024", "-92,5", "rate-rate", "Курс — рублей за одну единицу валюты: больше нуля."},
		{"nine decimals", "USD", "02.03.2024", "92,123456789", "rate-rate", "Не больше восьми знаков после запятой."},
		{"no rate", "USD", "02.03.2024", "", "rate-rate", "Заполните это поле."},
		{"no such day", "USD", "31.02.2024", "92", "rate-valid-from", "Дата не распознана: пишите её как дд.мм.гггг, например 02.03.2024."},
		{"before 1970", "USD", "01.01.1960", "92", "rate-valid-from", "Дата курса — с 02.01.1970 по 31.12.2100."},
		{"unknown currency", "XXX", "02.03.2024", "92", "rate-currency", "Такой валюты нет в справочнике валют."},
		{"the rouble", "RUB", "02.03.2024", "1", "rate-currency", "Курс рубля всегда равен 1: выберите другую валюту."},
	} {
		st, body := post("director", "/rates", form(tc.cur, tc.day, tc.rate))
		if got := fieldError(body, tc.field); st != 422 || got != tc.want {
			t.Errorf("%s: %d, %q beside %s, want 422 and %q", tc.name, st, got, tc.field, tc.want)
		}
		if !strings.Contains(body, `id="rate-rate" value="`+tc.rate+`"`) || !strings.Contains(body, `value="`+tc.day+`"`) {
			t.Errorf("%s: the form lost what was typed", tc.name)
		}
	}
	if st, _ := post("manager", "/rates", form("USD", "02.03.2024", "92")); st != 403 {
		t.Errorf("a manager's post: %d, want 403", st)
	}
	daily, err := os.ReadFile("../../crmcore/rates/testdata/daily_2024-03-02.xml")
	if err != nil {
		t.Fatal(err)
	}
	bad := bytes.Replace(daily, []byte("126,5893"), []byte("126.58x"), 1)
	if st, body := postFile(t, ts, "director", bad); st != 422 ||
		fieldError(body, "rates-file") != "Файл курсов Банка России не читается; ничего не загружено. Ошибка в строке 7." {
		t.Errorf("a malformed file: %d, %q", st, fieldError(body, "rates-file"))
	}
	if st, _ := postFile(t, ts, "manager", daily); st != 403 {
		t.Errorf("a manager's file: %d, want 403", st)
	}
	if n := ts.RowCount("currency_rates"); n != rows {
		t.Fatalf("refused forms stored rates: %d rows, were %d", n, rows)
	}
	if st, body := post("director", "/rates/delete", url.Values{"currency": {"EUR"}, "valid_from": {"2000-01-01"}}); st != 409 ||
		!strings.Contains(body, "Это единственный курс валюты: сначала задайте другой, потом удаляйте этот.") {
		t.Errorf("removing the only rate: %d", st)
	}
	if st, _ := post("admin", "/rates", form("USD", "02.03.2024", "1 092,5058")); st != 303 {
		t.Fatalf("a good rate: %d, want 303", st)
	}
	if st, body := ts.Do("GET", "/api/v1/currency-rates?currency=USD&from=2024-03-02&to=2024-03-02", "manager", ""); st != 200 ||
		!strings.Contains(body, `"valid_from":"2024-03-02","valid_to":null,"rate":1092.5058}`) {
		t.Errorf("the API after the form: %d %s", st, body)
	}
	st, body, _ := ts.PageBody("GET", "/rates?lang=en", "manager", nil)
	if st != 200 || strings.Contains(body, `id="rates-form"`) || strings.Contains(body, `id="nav-rates"`) ||
		!strings.Contains(body, "<td>2024-03-02</td><td>in force</td><td class=\"num rate\">1,092.5058\u00a0₽</td>") {
		t.Errorf("a manager's English page: %d %s", st, body)
	}
}
