package api_test

import (
	"os"
	"strings"
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// The currency rates API (issue 19): anyone signed in reads, directors
// and admins set and remove; a bad field is a 422 on that field and
// stores nothing; the same rate twice is one row.
func TestCurrencyRatesAPI(t *testing.T) {
	ts := dashtest.New(t)
	put := func(name, as, body string, status int, field string, contains ...string) dashtest.Scenario {
		return dashtest.Scenario{Name: name, Method: "PUT", URL: "/api/v1/currency-rates", As: as, Body: body,
			Status: status, Field: field, Contains: contains}
	}
	const usd = `{"currency":"USD","rate":92.5058,"valid_from":"2024-03-02"}`
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		put("director sets", "director", usd, 200, "", `{"currency":"USD","valid_from":"2024-03-02","valid_to":null,"rate":92.5058}`),
		put("admin sets the same again", "admin", usd, 200, "", `"rate":92.5058`),
		put("a string rate, a correction", "admin", `{"currency":"USD","rate":"92.6","valid_from":"2024-03-02"}`, 200, "", `"rate":92.6`),
		put("an earlier date", "director", `{"currency":"USD","rate":91,"valid_from":"2024-02-01"}`, 200, "",
			`"valid_from":"2024-02-01","valid_to":"2024-03-01","rate":91`),
	})
	rows := ts.RowCount("currency_rates")
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		put("a manager may not", "manager", usd, 403, ""),
		put("an analyst may not", "analyst", usd, 403, ""),
		put("zero", "director", `{"currency":"USD","rate":0,"valid_from":"2024-03-02"}`, 422, "rate", "not_positive"),
		put("negative", "director", `{"currency":"USD","rate":-1,"valid_from":"2024-03-02"}`, 422, "rate", "not_positive"),
		put("not a number", "director", `{"currency":"USD","rate":"много","valid_from":"2024-03-02"}`, 422, "rate"),
		put("nine decimals", "director", `{"currency":"USD","rate":1.123456789,"valid_from":"2024-03-02"}`, 422, "rate", "too_precise"),
		put("no rate", "director", `{"currency":"USD","valid_from":"2024-03-02"}`, 422, "rate", "required"),
		put("unknown currency", "director", `{"currency":"XXX","rate":1,"valid_from":"2024-03-02"}`, 422, "currency", "unknown_currency"),
		put("the rouble", "director", `{"currency":"RUB","rate":1,"valid_from":"2024-03-02"}`, 422, "currency", "rouble_rate"),
		put("malformed date", "director", `{"currency":"USD","rate":1,"valid_from":"02.03.2024"}`, 422, "valid_from", "invalid_date"),
		put("unknown field", "director", `{"currency":"USD","rate":1,"valid_from":"2024-03-02","nominal":10}`, 422, "nominal"),
		{Name: "remove as a manager", Method: "DELETE", URL: "/api/v1/currency-rates/USD/2024-02-01", As: "manager", Status: 403},
		{Name: "remove an absent date", Method: "DELETE", URL: "/api/v1/currency-rates/USD/2024-02-02", As: "director", Status: 404},
		{Name: "remove a bad date", Method: "DELETE", URL: "/api/v1/currency-rates/USD/1.2.2024", As: "director", Status: 422, Field: "valid_from"},
	})
	if n := ts.RowCount("currency_rates"); n != rows {
		t.Errorf("refused requests changed currency_rates: %d rows, were %d", n, rows)
	}
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "a manager reads a span", Method: "GET", URL: "/api/v1/currency-rates?currency=USD&from=2024-02-15&to=2024-03-31", As: "manager", Status: 200,
			Contains: []string{`"total":2`, `"valid_from":"2024-02-01","valid_to":"2024-03-01","rate":91}`, `"valid_from":"2024-03-02","valid_to":null,"rate":92.6}`}},
		{Name: "every currency on a day", Method: "GET", URL: "/api/v1/currency-rates?from=2024-03-05&to=2024-03-05", As: "analyst", Status: 200,
			Contains: []string{`"total":3`, `"currency":"CNY"`, `"currency":"EUR"`, `"rate":92.6`}, NotContains: []string{`"RUB"`}},
		{Name: "anonymous", Method: "GET", URL: "/api/v1/currency-rates", Status: 401},
		{Name: "bad from", Method: "GET", URL: "/api/v1/currency-rates?from=2024-13-01", As: "manager", Status: 422, Field: "from"},
		{Name: "to before from", Method: "GET", URL: "/api/v1/currency-rates?from=2024-03-01&to=2024-02-01", As: "manager", Status: 422, Field: "to"},
		{Name: "unknown currency", Method: "GET", URL: "/api/v1/currency-rates?currency=XXX", As: "manager", Status: 422, Field: "currency"},
		{Name: "NUL in the currency", Method: "GET", URL: "/api/v1/currency-rates?currency=U%00D", As: "manager", Status: 422, Field: "currency"},
		{Name: "not UTF-8 in a date", Method: "GET", URL: "/api/v1/currency-rates?from=%FF", As: "manager", Status: 422, Field: "from"},
		{Name: "NUL in a removal", Method: "DELETE", URL: "/api/v1/currency-rates/U%00D/2024-02-01", As: "director", Status: 422, Field: "currency"},
		{Name: "remove", Method: "DELETE", URL: "/api/v1/currency-rates/USD/2024-02-01", As: "admin", Status: 204},
		{Name: "gone", Method: "GET", URL: "/api/v1/currency-rates?currency=USD&from=2024-02-15&to=2024-02-20", As: "manager", Status: 200,
			Contains: []string{`"total":1`, `"valid_from":"2000-01-01","valid_to":"2024-03-01","rate":90}`}},
	})
}

// POST /currency-rates/import takes the bank's file as it is; again, it
// changes nothing; a malformed one is a 422 on file naming the line and
// writes nothing.
func TestCurrencyRatesImportAPI(t *testing.T) {
	ts := dashtest.New(t)
	daily, err := os.ReadFile("../../crmcore/rates/testdata/daily_2024-03-02.xml")
	if err != nil {
		t.Fatal(err)
	}
	const url = "/api/v1/currency-rates/import"
	for i, want := range []string{`"added":3,"changed":0,"unchanged":0,"skipped":3,"skipped_currencies":["GBP","JPY","KZT"]`,
		`"added":0,"changed":0,"unchanged":3,"skipped":3`} {
		if st, body := ts.PostRaw("director", url, "application/xml", daily); st != 200 || !strings.Contains(body, want) {
			t.Errorf("import %d: %d %s, want %s", i+1, st, body, want)
		}
	}
	rows := ts.RowCount("currency_rates")
	bad := []byte(strings.Replace(string(daily), "126,5893", "126.58x", 1))
	if st, body := ts.PostRaw("director", url, "application/xml", bad); st != 422 || !strings.Contains(body, `"field":"file"`) ||
		!strings.Contains(body, `line 7, \u003cValue\u003e`) {
		t.Errorf("a malformed file: %d %s", st, body)
	}
	if st, _ := ts.PostRaw("manager", url, "application/xml", daily); st != 403 {
		t.Errorf("a manager's import: %d, want 403", st)
	}
	if n := ts.RowCount("currency_rates"); n != rows {
		t.Errorf("refused imports wrote: %d rows, were %d", n, rows)
	}
}
