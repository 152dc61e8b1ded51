package api_test

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
)

func TestContactsAPI(t *testing.T) {
	ts := dashtest.New(t)
	company := createdID(ts, "/api/v1/companies", "manager", `{"name":"ООО «Ромашка»","inn":"7701234567"}`)
	id := createdID(ts, "/api/v1/contacts", "manager", fmt.Sprintf(
		`{"first_name":"Пётр","last_name":"Иванов","middle_name":"Сергеевич","email":"p.ivanov@romashka.ru","position":"Генеральный директор","company_id":%d}`, company))
	one := fmt.Sprintf("/api/v1/contacts/%d", id)
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "contact without company", Method: "POST", URL: "/api/v1/contacts", As: "director", Status: 201,
			Body: `{"first_name":"Анна","last_name":"Смирнова","phone":"+7 916 123-45-67"}`, Contains: []string{`"company_id":null`}},
		{Name: "analyst reads", Method: "GET", URL: one, As: "analyst", Status: 200,
			Contains: []string{`"first_name":"Пётр"`, `"last_name":"Иванов"`, fmt.Sprintf(`"company_id":%d`, company)}},
		{Name: "manager2 edits the shared directory", Method: "PATCH", URL: one, As: "manager2", Status: 200,
			Body: `{"position":"Коммерческий директор","company_id":0}`, Contains: []string{"Коммерческий директор", `"company_id":null`}},
		{Name: "search by full name", Method: "GET", URL: "/api/v1/contacts?q=" + url.QueryEscape("иванов пётр"), As: "manager2", Status: 200,
			Contains: []string{`"total":1`, "Иванов"}, NotContains: []string{"Смирнова"}},
		{Name: "by company (none left)", Method: "GET", URL: fmt.Sprintf("/api/v1/contacts?company_id=%d", company), As: "manager", Status: 200,
			Contains: []string{`"total":0`, `"items":[]`}},
		{Name: "bad company filter", Method: "GET", URL: "/api/v1/contacts?company_id=x", As: "manager", Status: 422, Field: "company_id"},
		{Name: "missing contact", Method: "GET", URL: "/api/v1/contacts/999999", As: "manager", Status: 404},
	})
	runRejects(t, ts, []string{"contacts"}, []dashtest.Scenario{
		{Name: "analyst may not create", Method: "POST", URL: "/api/v1/contacts", As: "analyst", Body: `{"first_name":"Анна"}`, Status: 403},
		{Name: "analyst may not edit", Method: "PATCH", URL: one, As: "analyst", Body: `{"first_name":"Анна"}`, Status: 403},
		{Name: "unknown company", Method: "POST", URL: "/api/v1/contacts", As: "manager", Body: `{"first_name":"Анна","company_id":999999}`, Status: 422, Field: "company_id"},
		{Name: "unknown company on patch", Method: "PATCH", URL: one, As: "manager", Body: `{"company_id":999999}`, Status: 422, Field: "company_id"},
		{Name: "malformed JSON", Method: "POST", URL: "/api/v1/contacts", As: "manager", Body: `{"first_name"`, Status: 400},
		{Name: "unknown field", Method: "POST", URL: "/api/v1/contacts", As: "manager", Body: `{"first_name":"Анна","age":30}`, Status: 422, Field: "age"},
		{Name: "wrong type", Method: "POST", URL: "/api/v1/contacts", As: "manager", Body: `{"first_name":"Анна","company_id":"x"}`, Status: 422, Field: "company_id"},
		{Name: "no first name", Method: "POST", URL: "/api/v1/contacts", As: "manager", Body: `{"last_name":"Смирнова"}`, Status: 422, Field: "first_name"},
		{Name: "non-UTF-8 last name", Method: "POST", URL: "/api/v1/contacts", As: "manager", Body: "{\"first_name\":\"Анна\",\"last_name\":\"\xfe\"}", Status: 422, Field: "last_name"},
		{Name: "bad e-mail", Method: "PATCH", URL: one, As: "manager", Body: `{"email":"anna@"}`, Status: 422, Field: "email"},
	})
}
