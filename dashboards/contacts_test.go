package dashboards

import (
	"fmt"
	"net/url"
	"testing"
)

func TestContactsAPI(t *testing.T) {
	ts := newTestServer(t)
	company := createdID(ts, "/api/v1/companies", "manager", `{"name":"ООО «Ромашка»","inn":"7701234567"}`)
	id := createdID(ts, "/api/v1/contacts", "manager", fmt.Sprintf(
		`{"first_name":"Пётр","last_name":"Иванов","middle_name":"Сергеевич","email":"p.ivanov@romashka.ru","position":"Генеральный директор","company_id":%d}`, company))
	one := fmt.Sprintf("/api/v1/contacts/%d", id)
	runScenarios(t, ts, []scenario{
		{name: "contact without company", method: "POST", url: "/api/v1/contacts", as: "director", status: 201,
			body: `{"first_name":"Анна","last_name":"Смирнова","phone":"+7 916 123-45-67"}`, contains: []string{`"company_id":null`}},
		{name: "analyst reads", method: "GET", url: one, as: "analyst", status: 200,
			contains: []string{`"first_name":"Пётр"`, `"last_name":"Иванов"`, fmt.Sprintf(`"company_id":%d`, company)}},
		{name: "manager2 edits the shared directory", method: "PATCH", url: one, as: "manager2", status: 200,
			body: `{"position":"Коммерческий директор","company_id":0}`, contains: []string{"Коммерческий директор", `"company_id":null`}},
		{name: "search by full name", method: "GET", url: "/api/v1/contacts?q=" + url.QueryEscape("иванов пётр"), as: "manager2", status: 200,
			contains: []string{`"total":1`, "Иванов"}, notContains: []string{"Смирнова"}},
		{name: "by company (none left)", method: "GET", url: fmt.Sprintf("/api/v1/contacts?company_id=%d", company), as: "manager", status: 200,
			contains: []string{`"total":0`, `"items":[]`}},
		{name: "bad company filter", method: "GET", url: "/api/v1/contacts?company_id=x", as: "manager", status: 422, field: "company_id"},
		{name: "missing contact", method: "GET", url: "/api/v1/contacts/999999", as: "manager", status: 404},
	})
	runRejects(t, ts, []string{"contacts"}, []scenario{
		{name: "analyst may not create", method: "POST", url: "/api/v1/contacts", as: "analyst", body: `{"first_name":"Анна"}`, status: 403},
		{name: "analyst may not edit", method: "PATCH", url: one, as: "analyst", body: `{"first_name":"Анна"}`, status: 403},
		{name: "unknown company", method: "POST", url: "/api/v1/contacts", as: "manager", body: `{"first_name":"Анна","company_id":999999}`, status: 422, field: "company_id"},
		{name: "unknown company on patch", method: "PATCH", url: one, as: "manager", body: `{"company_id":999999}`, status: 422, field: "company_id"},
		{name: "malformed JSON", method: "POST", url: "/api/v1/contacts", as: "manager", body: `{"first_name"`, status: 400},
		{name: "unknown field", method: "POST", url: "/api/v1/contacts", as: "manager", body: `{"first_name":"Анна","age":30}`, status: 422, field: "age"},
		{name: "wrong type", method: "POST", url: "/api/v1/contacts", as: "manager", body: `{"first_name":"Анна","company_id":"x"}`, status: 422, field: "company_id"},
		{name: "no first name", method: "POST", url: "/api/v1/contacts", as: "manager", body: `{"last_name":"Смирнова"}`, status: 422, field: "first_name"},
		{name: "non-UTF-8 last name", method: "POST", url: "/api/v1/contacts", as: "manager", body: "{\"first_name\":\"Анна\",\"last_name\":\"\xfe\"}", status: 422, field: "last_name"},
		{name: "bad e-mail", method: "PATCH", url: one, as: "manager", body: `{"email":"anna@"}`, status: 422, field: "email"},
	})
}
