package dashboards

import (
	"fmt"
	"strings"
	"testing"
)

func invoiceBody(deal int64, number, amount string) string {
	return fmt.Sprintf(`{"deal_id":%d,"number":%q,"amount":%s,"currency":"RUB","status":"issued",`+
		`"issued_at":"2025-04-01T09:00:00+03:00","due_at":"2025-04-15T09:00:00+03:00"}`, deal, number, amount)
}

func TestInvoicesAPI(t *testing.T) {
	ts := newTestServer(t)
	deal := bizDeal(ts, "Поставка оборудования", "manager")
	other := bizDeal(ts, "Внедрение CRM", "manager2", "manager") // manager observes
	id := createdID(ts, "/api/v1/invoices", "manager", invoiceBody(deal, "СЧ-2025/001", "150000.50"))
	one := fmt.Sprintf("/api/v1/invoices/%d", id)
	runScenarios(t, ts, []scenario{
		{name: "manager2 bills its own deal", method: "POST", url: "/api/v1/invoices", as: "manager2", status: 201,
			body: invoiceBody(other, "СЧ-2025/002", "1000"), contains: []string{`"amount":1000.00`, `"status":"issued"`}},
		{name: "owner reads", method: "GET", url: one, as: "manager", status: 200,
			contains: []string{"СЧ-2025/001", `"amount":150000.50`, `"paid_amount":0.00`, `"currency":"RUB"`}},
		{name: "no access: manager2 reads manager's invoice", method: "GET", url: one, as: "manager2", status: 404,
			notContains: []string{"СЧ-2025/001"}},
		{name: "analyst reads", method: "GET", url: one, as: "analyst", status: 200},
		{name: "manager lists own and observed", method: "GET", url: "/api/v1/invoices", as: "manager", status: 200,
			contains: []string{`"total":2`}},
		{name: "manager2 lists its own", method: "GET", url: "/api/v1/invoices", as: "manager2", status: 200,
			contains: []string{`"total":1`, "СЧ-2025/002"}, notContains: []string{"СЧ-2025/001"}},
		{name: "filter by deal", method: "GET", url: fmt.Sprintf("/api/v1/invoices?deal_id=%d", deal), as: "director", status: 200,
			contains: []string{`"total":1`, "СЧ-2025/001"}},
		{name: "filter by status", method: "GET", url: "/api/v1/invoices?status=paid", as: "director", status: 200,
			contains: []string{`"total":0`}},
		{name: "bad status filter", method: "GET", url: "/api/v1/invoices?status=sent", as: "director", status: 422, field: "status"},
	})
	bad := func(name, as, body string, status int, field string) scenario {
		return scenario{name: name, method: "POST", url: "/api/v1/invoices", as: as, body: body, status: status, field: field}
	}
	ok := invoiceBody(deal, "СЧ-2025/003", "100")
	runRejects(t, ts, []string{"invoices"}, []scenario{
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
	ts := newTestServer(t)
	deal := bizDeal(ts, "Поставка оборудования", "manager")
	inv := createdID(ts, "/api/v1/invoices", "manager", invoiceBody(deal, "СЧ-2025/001", "150000.50"))
	pay := func(amount, status, at string) string {
		return fmt.Sprintf(`{"invoice_id":%d,"amount":%s,"status":%q,"%s_at":"2025-04-10T12:00:00+03:00"}`, inv, amount, status, at)
	}
	first := createdID(ts, "/api/v1/payments", "manager", pay("100000", "paid", "paid"))
	one := fmt.Sprintf("/api/v1/payments/%d", first)
	invoice := fmt.Sprintf("/api/v1/invoices/%d", inv)
	runScenarios(t, ts, []scenario{
		{name: "part paid: invoice still issued", method: "GET", url: invoice, as: "manager", status: 200,
			contains: []string{`"status":"issued"`, `"paid_amount":100000.00`}},
		{name: "planned payment", method: "POST", url: "/api/v1/payments", as: "manager", status: 201,
			body: pay("50000.50", "planned", "planned"), contains: []string{`"status":"planned"`, `"paid_at":null`}},
		{name: "planned money does not settle", method: "GET", url: invoice, as: "manager", status: 200,
			contains: []string{`"status":"issued"`}},
		{name: "the rest is paid", method: "POST", url: "/api/v1/payments", as: "director", status: 201,
			body: pay("50000.50", "paid", "paid"), contains: []string{`"amount":50000.50`}},
		{name: "invoice is paid", method: "GET", url: invoice, as: "manager", status: 200,
			contains: []string{`"status":"paid"`, `"paid_amount":150000.50`}},
		{name: "owner reads a payment", method: "GET", url: one, as: "manager", status: 200, contains: []string{`"amount":100000.00`}},
		{name: "no access: manager2 reads manager's payment", method: "GET", url: one, as: "manager2", status: 404},
		{name: "manager2 lists none", method: "GET", url: "/api/v1/payments", as: "manager2", status: 200, contains: []string{`"total":0`}},
		{name: "list by invoice", method: "GET", url: fmt.Sprintf("/api/v1/payments?invoice_id=%d", inv), as: "analyst", status: 200,
			contains: []string{`"total":3`}},
	})
	bad := func(name, as, body string, status int, field string) scenario {
		return scenario{name: name, method: "POST", url: "/api/v1/payments", as: as, body: body, status: status, field: field}
	}
	runRejects(t, ts, []string{"payments", "invoices"}, []scenario{
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
	ts := newTestServer(t)
	deal := bizDeal(ts, "Поставка оборудования", "manager")
	product := createdID(ts, "/api/v1/products", "director", `{"name":"Лицензия «Воронка»","sku":"VRN-1","price":1000,"currency":"RUB"}`)
	items := fmt.Sprintf("/api/v1/deals/%d/items", deal)
	runScenarios(t, ts, []scenario{
		{name: "everyone reads the price list", method: "GET", url: "/api/v1/products", as: "manager2", status: 200,
			contains: []string{"Лицензия «Воронка»", `"price":1000.00`, `"total":1`}},
		{name: "add a line at a discount", method: "POST", url: items, as: "manager", status: 201, // 2.5 × 1000 × 90 %
			body:     fmt.Sprintf(`{"product_id":%d,"quantity":2.5,"discount":10}`, product),
			contains: []string{`"total":2250.00`, `"price":1000.00`, `"quantity":2.5`}},
		{name: "add a line at a price", method: "POST", url: items, as: "director", status: 201, // 3 × 333.33
			body: fmt.Sprintf(`{"product_id":%d,"quantity":3,"price":333.33}`, product), contains: []string{`"total":999.99`}},
		{name: "read the lines", method: "GET", url: items, as: "manager", status: 200,
			contains: []string{`"total":2`, "Лицензия «Воронка»"}},
		{name: "no access: manager2 reads manager's deal items", method: "GET", url: items, as: "manager2", status: 404,
			notContains: []string{"Лицензия"}},
	})
	runRejects(t, ts, []string{"products"}, []scenario{
		{name: "manager may not add products", method: "POST", url: "/api/v1/products", as: "manager", status: 403,
			body: `{"name":"Внедрение","price":1,"currency":"RUB"}`},
		{name: "unknown currency", method: "POST", url: "/api/v1/products", as: "admin", status: 422, field: "currency",
			body: `{"name":"Внедрение","price":1,"currency":"XXX"}`},
		{name: "price abc", method: "POST", url: "/api/v1/products", as: "admin", status: 422, field: "price",
			body: `{"name":"Внедрение","price":"abc","currency":"RUB"}`},
		{name: "duplicate sku", method: "POST", url: "/api/v1/products", as: "admin", status: 409, field: "sku",
			body: `{"name":"Внедрение","sku":"VRN-1","price":1,"currency":"RUB"}`},
		{name: "over-long name", method: "POST", url: "/api/v1/products", as: "admin", status: 422, field: "name",
			body: `{"name":"` + strings.Repeat("я", 300) + `","price":1,"currency":"RUB"}`},
	})
	item := func(name, as, body string, status int, field string) scenario {
		return scenario{name: name, method: "POST", url: items, as: as, body: body, status: status, field: field}
	}
	good := fmt.Sprintf(`{"product_id":%d,"quantity":1}`, product)
	runRejects(t, ts, []string{"deal_items"}, []scenario{
		item("no access: manager2 adds to manager's deal", "manager2", good, 404, ""),
		item("analyst", "analyst", good, 403, ""),
		item("unknown product", "manager", `{"product_id":999999,"quantity":1}`, 422, "product_id"),
		item("quantity x", "manager", fmt.Sprintf(`{"product_id":%d,"quantity":"x"}`, product), 422, "quantity"),
		item("negative quantity", "manager", fmt.Sprintf(`{"product_id":%d,"quantity":-1}`, product), 422, "quantity"),
		item("discount over 100", "manager", fmt.Sprintf(`{"product_id":%d,"quantity":1,"discount":150}`, product), 422, "discount"),
		item("malformed JSON", "manager", `{"product_id":`, 400, ""),
		{name: "missing deal", method: "POST", url: "/api/v1/deals/999999/items", as: "director", body: good, status: 404},
	})
}
