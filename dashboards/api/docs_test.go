package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
	"github.com/voronka/voronka/reports/schedule"
)

// The documents of a deal over HTTP: contracts, orders and acts, each
// created, read, listed under the deal's access, and refused with a 422
// on the field (nothing written) or a 404 like the deal.
func TestDocsAPI(t *testing.T) {
	ts := dashtest.New(t)
	company := createdID(ts, "/api/v1/companies", "manager", `{"name":"ООО «Ромашка»"}`)
	alien := createdID(ts, "/api/v1/companies", "manager", `{"name":"ИП Лютик"}`)
	deal := bizDeal(ts, "Внедрение ECOS", "manager", "manager2") // manager2 observes
	theirs := bizDeal(ts, "Поставка", "manager2")
	if _, err := ts.PG.Pool.Exec(context.Background(), `UPDATE deals SET company_id = $1 WHERE id = $2`, company, deal); err != nil {
		t.Fatal(err)
	}
	contract := createdID(ts, "/api/v1/contracts", "manager", fmt.Sprintf(`{"company_id":%d,"number":"Д-2025/01","signed_at":"2025-01-15"}`, company))
	other := createdID(ts, "/api/v1/contracts", "director", fmt.Sprintf(`{"company_id":%d,"number":"Д-7","signed_at":"2025-01-15","valid_to":"2025-12-31"}`, alien))
	orderBody := func(deal, contract int64, number, amount string) string {
		return fmt.Sprintf(`{"deal_id":%d,"contract_id":%d,"number":%q,"amount":%s,"currency":"RUB"}`, deal, contract, number, amount)
	}
	order := createdID(ts, "/api/v1/orders", "manager", orderBody(deal, contract, "З-1", "120000"))
	theirOrder := createdID(ts, "/api/v1/orders", "manager2", fmt.Sprintf(`{"deal_id":%d,"number":"З-9","amount":10,"currency":"RUB"}`, theirs))
	actBody := func(order int64, number, amount string) string {
		return fmt.Sprintf(`{"order_id":%d,"number":%q,"amount":%s,"signed_at":"2025-03-31"}`, order, number, amount)
	}
	act := createdID(ts, "/api/v1/acts", "manager", actBody(order, "А-1", "70000"))
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "contract", Method: "GET", URL: fmt.Sprintf("/api/v1/contracts/%d", other), As: "manager", Status: 200,
			Contains: []string{`"number":"Д-7"`, `"signed_at":"2025-01-15"`, `"valid_to":"2025-12-31"`}},
		{Name: "contracts of a company", Method: "GET", URL: fmt.Sprintf("/api/v1/contracts?company_id=%d", company), As: "analyst", Status: 200,
			Contains: []string{`"total":1`, "Д-2025/01"}, NotContains: []string{"Д-7"}},
		{Name: "order", Method: "GET", URL: fmt.Sprintf("/api/v1/orders/%d", order), As: "manager2", Status: 200,
			Contains: []string{`"amount":120000.00`, `"acted_amount":70000.00`, fmt.Sprintf(`"contract_id":%d`, contract), `"items":[]`}},
		{Name: "no access: manager reads manager2's order", Method: "GET", URL: fmt.Sprintf("/api/v1/orders/%d", theirOrder), As: "manager", Status: 404,
			NotContains: []string{"З-9"}},
		{Name: "manager lists the orders of deals they see", Method: "GET", URL: "/api/v1/orders", As: "manager", Status: 200,
			Contains: []string{`"total":1`, "З-1"}, NotContains: []string{"З-9"}},
		{Name: "orders of a deal", Method: "GET", URL: fmt.Sprintf("/api/v1/orders?deal_id=%d", theirs), As: "director", Status: 200,
			Contains: []string{`"total":1`, "З-9"}},
		{Name: "act", Method: "GET", URL: fmt.Sprintf("/api/v1/acts/%d", act), As: "manager", Status: 200,
			Contains: []string{`"amount":70000.00`, `"signed_at":"2025-03-31"`}},
		{Name: "analyst reads an act", Method: "GET", URL: fmt.Sprintf("/api/v1/acts/%d", act), As: "analyst", Status: 200},
		{Name: "acts of an order", Method: "GET", URL: fmt.Sprintf("/api/v1/acts?order_id=%d", order), As: "manager2", Status: 200,
			Contains: []string{`"total":1`, "А-1"}},
		{Name: "manager sees no act of an order of a deal they cannot see", Method: "GET", URL: fmt.Sprintf("/api/v1/acts?order_id=%d", theirOrder), As: "manager", Status: 200,
			Contains: []string{`"total":0`}},
		{Name: "an invoice of the order", Method: "POST", URL: "/api/v1/invoices", As: "manager", Status: 201,
			Body:     strings.Replace(invoiceBody(deal, "СЧ-1", "120000"), `{`, fmt.Sprintf(`{"order_id":%d,`, order), 1),
			Contains: []string{fmt.Sprintf(`"order_id":%d`, order)}},
		{Name: "an invoice without one keeps its shape", Method: "POST", URL: "/api/v1/invoices", As: "manager", Status: 201,
			Body: invoiceBody(deal, "СЧ-2", "1"), Contains: []string{`"order_id":null`}},
		{Name: "bad company filter", Method: "GET", URL: "/api/v1/contracts?company_id=x", As: "manager", Status: 422, Field: "company_id"},
	})
	bad := func(name, path, as, body string, status int, field string) dashtest.Scenario {
		return dashtest.Scenario{Name: name, Method: "POST", URL: path, As: as, Body: body, Status: status, Field: field}
	}
	runRejects(t, ts, []string{"contracts", "orders", "acts", "invoices"}, []dashtest.Scenario{
		bad("contract of no company", "/api/v1/contracts", "manager", `{"company_id":999999,"number":"Д-1","signed_at":"2025-01-01"}`, 422, "company_id"),
		bad("contract ending before it is signed", "/api/v1/contracts", "manager",
			fmt.Sprintf(`{"company_id":%d,"number":"Д-2","signed_at":"2025-02-01","valid_to":"2025-01-01"}`, company), 422, "valid_to"),
		bad("contract number taken", "/api/v1/contracts", "manager", fmt.Sprintf(`{"company_id":%d,"number":"Д-2025/01","signed_at":"2025-01-01"}`, company), 409, "number"),
		bad("contract number with NUL", "/api/v1/contracts", "manager", fmt.Sprintf(`{"company_id":%d,"number":"Д-\u0000","signed_at":"2025-01-01"}`, company), 422, "number"),
		bad("analyst writes no contract", "/api/v1/contracts", "analyst", fmt.Sprintf(`{"company_id":%d,"number":"Д-3","signed_at":"2025-01-01"}`, company), 403, ""),
		bad("no access: an order of a deal one cannot see", "/api/v1/orders", "manager", orderBody(theirs, contract, "З-2", "1"), 404, ""),
		bad("order under another company's contract", "/api/v1/orders", "manager", orderBody(deal, other, "З-2", "1"), 422, "contract_id"),
		bad("order of nothing", "/api/v1/orders", "manager", orderBody(deal, contract, "З-2", "0"), 422, "amount"),
		bad("order in an unknown currency", "/api/v1/orders", "manager", strings.Replace(orderBody(deal, contract, "З-2", "1"), "RUB", "XXX", 1), 422, "currency"),
		bad("observer orders nothing", "/api/v1/orders", "manager2", orderBody(deal, contract, "З-2", "1"), 403, ""),
		bad("act larger than its order", "/api/v1/acts", "manager", actBody(order, "А-2", "50000.01"), 422, "amount"),
		bad("no access: an act of an order one cannot see", "/api/v1/acts", "manager", actBody(theirOrder, "А-2", "1"), 404, ""),
		bad("act without a date", "/api/v1/acts", "manager", strings.Replace(actBody(order, "А-2", "1"), `"2025-03-31"`, `""`, 1), 422, "signed_at"),
		bad("act amount abc", "/api/v1/acts", "manager", actBody(order, "А-2", `"abc"`), 422, "amount"),
		bad("invoice of another deal's order", "/api/v1/invoices", "manager",
			strings.Replace(invoiceBody(deal, "СЧ-3", "1"), `{`, fmt.Sprintf(`{"order_id":%d,`, theirOrder), 1), 422, "order_id"),
	})
}

// The money reports schedule like every standard report: a weekly
// receivables letter and a monthly acts-and-payments one run and deliver
// a workbook to each recipient.
func TestMoneyReportsSchedule(t *testing.T) {
	ts := dashtest.NewSchedule(t)
	to := dashtest.Itoa(ts.Users["director"].ID)
	for _, id := range []string{"receivables_by_age", "acts_vs_payments", "payments_planned_vs_received"} {
		var sch schedule.Schedule
		body := `{"name":"` + id + `","report_id":"` + id + `","cron":"0 9 * * 1","recipients":[` + to + `]}`
		if st := ts.DoJSON("POST", "/api/v1/schedules", "director", json.RawMessage(body), &sch); st != 201 {
			t.Fatalf("schedule %s: %d", id, st)
		}
		var run schedule.Run
		if st := ts.DoJSON("POST", "/api/v1/schedules/"+dashtest.Itoa(sch.ID)+"/run", "director", nil, &run); st != 200 || run.Status != "succeeded" || len(run.Deliveries) != 1 {
			t.Errorf("run %s: %d %+v", id, st, run)
		}
	}
	if n := len(ts.SMTP.Mails()); n != 3 {
		t.Errorf("%d mails, want 3", n)
	}
}
