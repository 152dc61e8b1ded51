package api_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
)

func invoiceBody(deal int64, number, amount string) string {
	return fmt.Sprintf(`{"deal_id":%d,"number":%q,"amount":%s,"currency":"RUB","status":"issued",`+
		`"issued_at":"2025-04-01T09:00:00+03:00","due_at":"2025-04-15T09:00:00+03:00"}`, deal, number, amount)
}

func TestInvoicesAPI(t *testing.T) {
	ts := dashtest.New(t)
	deal := bizDeal(ts, "Поставка оборудования", "manager")
	other := bizDeal(ts, "Внедрение CRM", "manager2", "manager") // manager observes
	id := createdID(ts, "/api/v1/invoices", "manager", invoiceBody(deal, "СЧ-2025/001", "150000.50"))
	one := fmt.Sprintf("/api/v1/invoices/%d", id)
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "manager2 bills its own deal", Method: "POST", URL: "/api/v1/invoices", As: "manager2", Status: 201,
			Body: invoiceBody(other, "СЧ-2025/002", "1000"), Contains: []string{`"amount":1000.00`, `"status":"issued"`}},
		{Name: "owner reads", Method: "GET", URL: one, As: "manager", Status: 200,
			Contains: []string{"СЧ-2025/001", `"amount":150000.50`, `"paid_amount":0.00`, `"currency":"RUB"`}},
		{Name: "no access: manager2 reads manager's invoice", Method: "GET", URL: one, As: "manager2", Status: 404,
			NotContains: []string{"СЧ-2025/001"}},
		{Name: "analyst reads", Method: "GET", URL: one, As: "analyst", Status: 200},
		{Name: "manager lists own and observed", Method: "GET", URL: "/api/v1/invoices", As: "manager", Status: 200,
			Contains: []string{`"total":2`}},
		{Name: "manager2 lists its own", Method: "GET", URL: "/api/v1/invoices", As: "manager2", Status: 200,
			Contains: []string{`"total":1`, "СЧ-2025/002"}, NotContains: []string{"СЧ-2025/001"}},
		{Name: "filter by deal", Method: "GET", URL: fmt.Sprintf("/api/v1/invoices?deal_id=%d", deal), As: "director", Status: 200,
			Contains: []string{`"total":1`, "СЧ-2025/001"}},
		{Name: "filter by status", Method: "GET", URL: "/api/v1/invoices?status=paid", As: "director", Status: 200,
			Contains: []string{`"total":0`}},
		{Name: "bad status filter", Method: "GET", URL: "/api/v1/invoices?status=sent", As: "director", Status: 422, Field: "status"},
	})
	bad := func(name, as, body string, status int, field string) dashtest.Scenario {
		return dashtest.Scenario{Name: name, Method: "POST", URL: "/api/v1/invoices", As: as, Body: body, Status: status, Field: field}
	}
	ok := invoiceBody(deal, "СЧ-2025/003", "100")
	runRejects(t, ts, []string{"invoices"}, []dashtest.Scenario{
		bad("no access: manager2 bills manager's deal", "manager2", ok, 404, ""),
		bad("observer may not bill", "manager", invoiceBody(other, "СЧ-2025/003", "1"), 403, ""),
		bad("analyst", "analyst", ok, 403, ""),
		bad("duplicate number", "director", invoiceBody(deal, "СЧ-2025/001", "1"), 409, "number"),
		bad("malformed JSON", "manager", `{"deal_id":`, 400, ""),
		bad("unknown field", "manager", strings.Replace(ok, `{`, `{"vat":20,`, 1), 422, "vat"),
		bad("amount abc", "manager", strings.Replace(ok, `"amount":100`, `"amount":"abc"`, 1), 422, "amount"),
		bad("deal_id x", "manager", strings.Replace(ok, fmt.Sprintf(`"deal_id":%d`, deal), `"deal_id":"x"`, 1), 422, "deal_id"),
		bad("negative amount", "manager", invoiceBody(deal, "СЧ-2025/003", "-100"), 422, "amount"),
		bad("unknown currency", "manager", strings.Replace(ok, `"RUB"`, `"XXX"`, 1), 422, "currency"),
		bad("bad status", "manager", strings.Replace(ok, `"issued",`, `"sent",`, 1), 422, "status"),
		bad("due before issue", "manager", strings.Replace(ok, "2025-04-15", "2025-03-15", 1), 422, "due_at"),
		bad("missing due_at", "manager", strings.Replace(ok, `,"due_at":"2025-04-15T09:00:00+03:00"`, ``, 1), 422, "due_at"),
		bad("non-UTF-8 number", "manager", strings.Replace(ok, "СЧ-2025/003", "СЧ-\xff", 1), 422, "number"),
		bad("over-long number", "manager", invoiceBody(deal, strings.Repeat("Я", 300), "1"), 422, "number"),
	})
}

func TestPaymentsAPI(t *testing.T) {
	ts := dashtest.New(t)
	deal := bizDeal(ts, "Поставка оборудования", "manager")
	inv := createdID(ts, "/api/v1/invoices", "manager", invoiceBody(deal, "СЧ-2025/001", "150000.50"))
	pay := func(amount, status, at string) string {
		return fmt.Sprintf(`{"invoice_id":%d,"amount":%s,"status":%q,"%s_at":"2025-04-10T12:00:00+03:00"}`, inv, amount, status, at)
	}
	first := createdID(ts, "/api/v1/payments", "manager", pay("100000", "paid", "paid"))
	one := fmt.Sprintf("/api/v1/payments/%d", first)
	invoice := fmt.Sprintf("/api/v1/invoices/%d", inv)
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "part paid: invoice still issued", Method: "GET", URL: invoice, As: "manager", Status: 200,
			Contains: []string{`"status":"issued"`, `"paid_amount":100000.00`}},
		{Name: "planned payment", Method: "POST", URL: "/api/v1/payments", As: "manager", Status: 201,
			Body: pay("50000.50", "planned", "planned"), Contains: []string{`"status":"planned"`, `"paid_at":null`}},
		{Name: "planned money does not settle", Method: "GET", URL: invoice, As: "manager", Status: 200,
			Contains: []string{`"status":"issued"`}},
		{Name: "the rest is paid", Method: "POST", URL: "/api/v1/payments", As: "director", Status: 201,
			Body: pay("50000.50", "paid", "paid"), Contains: []string{`"amount":50000.50`}},
		{Name: "invoice is paid", Method: "GET", URL: invoice, As: "manager", Status: 200,
			Contains: []string{`"status":"paid"`, `"paid_amount":150000.50`}},
		{Name: "owner reads a payment", Method: "GET", URL: one, As: "manager", Status: 200, Contains: []string{`"amount":100000.00`}},
		{Name: "no access: manager2 reads manager's payment", Method: "GET", URL: one, As: "manager2", Status: 404},
		{Name: "manager2 lists none", Method: "GET", URL: "/api/v1/payments", As: "manager2", Status: 200, Contains: []string{`"total":0`}},
		{Name: "list by invoice", Method: "GET", URL: fmt.Sprintf("/api/v1/payments?invoice_id=%d", inv), As: "analyst", Status: 200,
			Contains: []string{`"total":3`}},
	})
	bad := func(name, as, body string, status int, field string) dashtest.Scenario {
		return dashtest.Scenario{Name: name, Method: "POST", URL: "/api/v1/payments", As: as, Body: body, Status: status, Field: field}
	}
	runRejects(t, ts, []string{"payments", "invoices"}, []dashtest.Scenario{
		bad("no access: manager2 pays manager's invoice", "manager2", pay("1", "paid", "paid"), 404, ""),
		bad("analyst", "analyst", pay("1", "paid", "paid"), 403, ""),
		bad("planned without planned_at", "manager", pay("1", "planned", "paid"), 422, "planned_at"),
		bad("paid without paid_at", "manager", pay("1", "paid", "planned"), 422, "paid_at"),
		bad("zero amount", "manager", pay("0", "paid", "paid"), 422, "amount"),
		bad("negative amount", "manager", pay("-1", "paid", "paid"), 422, "amount"),
		bad("amount abc", "manager", pay(`"abc"`, "paid", "paid"), 422, "amount"),
		bad("invoice_id x", "manager", `{"invoice_id":"x","amount":1,"status":"paid","paid_at":"2025-04-10T12:00:00Z"}`, 422, "invoice_id"),
		bad("bad status", "manager", pay("1", "sent", "paid"), 422, "status"),
		bad("malformed JSON", "manager", `{"invoice_id":1,`, 400, ""),
		bad("unknown field", "manager", `{"invoice_id":1,"amount":1,"status":"paid","paid_at":"2025-04-10T12:00:00Z","card":"4111"}`, 422, "card"),
		bad("missing invoice", "director", `{"invoice_id":999999,"amount":1,"status":"paid","paid_at":"2025-04-10T12:00:00Z"}`, 404, ""),
	})
}

func TestProductsAndDealItemsAPI(t *testing.T) {
	ts := dashtest.New(t)
	deal := bizDeal(ts, "Поставка оборудования", "manager")
	product := createdID(ts, "/api/v1/products", "director", `{"name":"Лицензия «Воронка»","sku":"VRN-1","price":1000,"currency":"RUB"}`)
	items := fmt.Sprintf("/api/v1/deals/%d/items", deal)
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "everyone reads the price list", Method: "GET", URL: "/api/v1/products", As: "manager2", Status: 200,
			Contains: []string{"Лицензия «Воронка»", `"price":1000.00`, `"total":1`}},
		{Name: "add a line at a discount", Method: "POST", URL: items, As: "manager", Status: 201, // 2.5 × 1000 × 90 %
			Body:     fmt.Sprintf(`{"product_id":%d,"quantity":2.5,"discount":10}`, product),
			Contains: []string{`"total":2250.00`, `"price":1000.00`, `"quantity":2.5`}},
		{Name: "add a line at a price", Method: "POST", URL: items, As: "director", Status: 201, // 3 × 333.33
			Body: fmt.Sprintf(`{"product_id":%d,"quantity":3,"price":333.33}`, product), Contains: []string{`"total":999.99`}},
		{Name: "read the lines", Method: "GET", URL: items, As: "manager", Status: 200,
			Contains: []string{`"total":2`, "Лицензия «Воронка»"}},
		{Name: "no access: manager2 reads manager's deal items", Method: "GET", URL: items, As: "manager2", Status: 404,
			NotContains: []string{"Лицензия"}},
	})
	runRejects(t, ts, []string{"products"}, []dashtest.Scenario{
		{Name: "manager may not add products", Method: "POST", URL: "/api/v1/products", As: "manager", Status: 403,
			Body: `{"name":"Внедрение","price":1,"currency":"RUB"}`},
		{Name: "unknown currency", Method: "POST", URL: "/api/v1/products", As: "admin", Status: 422, Field: "currency",
			Body: `{"name":"Внедрение","price":1,"currency":"XXX"}`},
		{Name: "price abc", Method: "POST", URL: "/api/v1/products", As: "admin", Status: 422, Field: "price",
			Body: `{"name":"Внедрение","price":"abc","currency":"RUB"}`},
		{Name: "duplicate sku", Method: "POST", URL: "/api/v1/products", As: "admin", Status: 409, Field: "sku",
			Body: `{"name":"Внедрение","sku":"VRN-1","price":1,"currency":"RUB"}`},
		{Name: "over-long name", Method: "POST", URL: "/api/v1/products", As: "admin", Status: 422, Field: "name",
			Body: `{"name":"` + strings.Repeat("я", 300) + `","price":1,"currency":"RUB"}`},
	})
	item := func(name, as, body string, status int, field string) dashtest.Scenario {
		return dashtest.Scenario{Name: name, Method: "POST", URL: items, As: as, Body: body, Status: status, Field: field}
	}
	good := fmt.Sprintf(`{"product_id":%d,"quantity":1}`, product)
	runRejects(t, ts, []string{"deal_items"}, []dashtest.Scenario{
		item("no access: manager2 adds to manager's deal", "manager2", good, 404, ""),
		item("analyst", "analyst", good, 403, ""),
		item("unknown product", "manager", `{"product_id":999999,"quantity":1}`, 422, "product_id"),
		item("quantity x", "manager", fmt.Sprintf(`{"product_id":%d,"quantity":"x"}`, product), 422, "quantity"),
		item("negative quantity", "manager", fmt.Sprintf(`{"product_id":%d,"quantity":-1}`, product), 422, "quantity"),
		item("discount over 100", "manager", fmt.Sprintf(`{"product_id":%d,"quantity":1,"discount":150}`, product), 422, "discount"),
		item("malformed JSON", "manager", `{"product_id":`, 400, ""),
		{Name: "missing deal", Method: "POST", URL: "/api/v1/deals/999999/items", As: "director", Body: good, Status: 404},
	})
}
