package pages_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// apiDeal is what GET /api/v1/deals/{id} and its lists answer, as far
// as the deal page shows it (amounts as the API writes them).
type apiDeal struct {
	ID         int64
	Title      string
	Amount     json.Number
	CreatedAt  time.Time  `json:"created_at"`
	ClosedAt   *time.Time `json:"closed_at"`
	LostReason *string    `json:"lost_reason"`
}

type apiList[T any] struct {
	Items []T
	Total int
}

type apiChange struct {
	At     time.Time
	ToName string  `json:"to_name"`
	ByName *string `json:"by_name"`
}

type apiInvoice struct {
	ID         int64
	Number     string
	Amount     json.Number
	PaidAmount json.Number `json:"paid_amount"`
	IssuedAt   time.Time   `json:"issued_at"`
}

type apiPayment struct {
	Amount json.Number
	PaidAt *time.Time `json:"paid_at"`
}

// richDeal creates through the API manager's deal «Поставка станков»
// (1 234 567,89 ₽) with a company and a contact, moved new → first
// contact → needs → lost (refused, «Дорого»), director observing; a
// call done and a task open; an invoice of 500 000 ₽ with a paid payment
// of 250 000,50 ₽. It answers the deal's id.
func richDeal(t *testing.T, ts *dashtest.Server) int64 {
	t.Helper()
	var co, ct, deal, inv struct{ ID int64 }
	post := func(url, as string, body string, out any) {
		t.Helper()
		if st := ts.DoJSON("POST", url, as, json.RawMessage(body), out); st >= 300 {
			t.Fatalf("POST %s %s: %d", url, body, st)
		}
	}
	post("/api/v1/companies", "manager", `{"name":"ООО «Ромашка»","inn":"7701234567"}`, &co)
	post("/api/v1/contacts", "manager", fmt.Sprintf(`{"first_name":"Пётр","last_name":"Сидоров","middle_name":"Ильич","company_id":%d}`, co.ID), &ct)
	post("/api/v1/deals", "manager", fmt.Sprintf(`{"title":"Поставка станков","pipeline":"sales","amount":1234567.89,"currency":"RUB",`+
		`"responsible_id":%d,"company_id":%d,"contact_id":%d}`, ts.Users["manager"].ID, co.ID, ct.ID), &deal)
	u := "/api/v1/deals/" + dashtest.Itoa(deal.ID)
	for _, stage := range []string{`"first_contact"`, `"needs"`, `"refused","reason":"Дорого"`} {
		post(u+"/move", "manager", `{"stage":`+stage+`}`, nil)
	}
	post(u+"/observers", "manager", fmt.Sprintf(`{"user_id":%d}`, ts.Users["director"].ID), nil)
	owner := ts.Users["manager"].ID
	post("/api/v1/activities", "manager", fmt.Sprintf(`{"type":"call","subject":"Обсудили цену","owner_id":%d,"deal_id":%d,"done_at":"2025-02-03T11:30:00+03:00"}`, owner, deal.ID), nil)
	post("/api/v1/activities", "manager", fmt.Sprintf(`{"type":"task","subject":"Отправить КП","owner_id":%d,"deal_id":%d,"due_at":"2030-02-05T18:00:00+03:00"}`, owner, deal.ID), nil)
	post("/api/v1/invoices", "manager", fmt.Sprintf(`{"deal_id":%d,"number":"СЧ-2025/017","amount":500000,"currency":"RUB","status":"issued",`+
		`"issued_at":"2025-02-04T09:00:00+03:00","due_at":"2025-02-18T09:00:00+03:00"}`, deal.ID), &inv)
	post("/api/v1/payments", "manager", fmt.Sprintf(`{"invoice_id":%d,"amount":250000.50,"status":"paid","paid_at":"2025-02-10T12:00:00+03:00"}`, inv.ID), nil)
	return deal.ID
}

// rub writes an API amount ("1234567.89") as a Russian reader does:
// "1 234 567,89 ₽" with no-break spaces.
func rub(amount json.Number) string {
	whole, frac, _ := strings.Cut(amount.String(), ".")
	var b strings.Builder
	for i, d := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteString("\u00a0")
		}
		b.WriteRune(d)
	}
	return b.String() + "," + (frac + "00")[:2] + "\u00a0₽"
}

var moscow, _ = time.LoadLocation("Europe/Moscow")

func ruDateTime(t time.Time) string { return t.In(moscow).Format("02.01.2006 15:04") }
func ruDate(t time.Time) string     { return t.In(moscow).Format("02.01.2006") }

// TestDealPageMatchesTheAPI: every figure the deal page shows is the
// API's for the same deal, in Russian formats, with words for stage
// kinds, activity types and statuses.
func TestDealPageMatchesTheAPI(t *testing.T) {
	ts := dashtest.New(t)
	id := richDeal(t, ts)
	u := "/api/v1/deals/" + dashtest.Itoa(id)
	var deal apiDeal
	var history apiList[apiChange]
	var invoices apiList[apiInvoice]
	var payments apiList[apiPayment]
	var activities apiList[struct{ Subject string }]
	for url, out := range map[string]any{u: &deal, u + "/history": &history, "/api/v1/invoices?deal_id=" + dashtest.Itoa(id): &invoices,
		"/api/v1/activities?deal_id=" + dashtest.Itoa(id): &activities} {
		if st := ts.DoJSON("GET", url, "manager", nil, out); st != 200 {
			t.Fatalf("GET %s: %d", url, st)
		}
	}
	if len(invoices.Items) != 1 || len(history.Items) != 4 || deal.ClosedAt == nil || deal.LostReason == nil {
		t.Fatalf("fixture: %d invoices, %d changes, closed %v", len(invoices.Items), len(history.Items), deal.ClosedAt)
	}
	if st := ts.DoJSON("GET", fmt.Sprintf("/api/v1/payments?invoice_id=%d", invoices.Items[0].ID), "manager", nil, &payments); st != 200 || len(payments.Items) != 1 {
		t.Fatalf("payments: %d %v", st, payments)
	}
	want := []string{"<h1>" + deal.Title + "</h1>", "|" + rub(deal.Amount) + "|", "Отказ · проиграна · вероятность 0\u00a0%", "моя сделка",
		"|Ответственный||Иванов Иван Иванович|", "|Наблюдатели||Орлова Марина Сергеевна|",
		"|Компания||ООО «Ромашка»|", "|Контакт||Сидоров Пётр Ильич|",
		"|Создана||" + ruDateTime(deal.CreatedAt) + "|", "|Закрыта||" + ruDateTime(*deal.ClosedAt) + "|",
		"|Причина проигрыша||" + *deal.LostReason + "|", `href="/kanban/sales"`, "Канбан «Продажи»",
		"История стадий|4", "Дела|2", "|Звонок||Обсудили цену||Иванов Иван Иванович|", "|Задача||Отправить КП|", "не выполнено",
		"|" + invoices.Items[0].Number + "||выставлен||" + rub(invoices.Items[0].Amount) + "||" + rub(invoices.Items[0].PaidAmount) + "||" + ruDate(invoices.Items[0].IssuedAt) + "|",
		"|" + invoices.Items[0].Number + "||оплачен||" + rub(payments.Items[0].Amount) + "|", ruDate(*payments.Items[0].PaidAt)}
	for _, h := range history.Items {
		want = append(want, "|"+ruDateTime(h.At)+"|", "|"+h.ToName+"|")
	}
	for _, a := range activities.Items {
		want = append(want, "|"+a.Subject+"|")
	}
	status, body, _ := ts.PageBody("GET", "/deals/"+dashtest.Itoa(id), "manager", nil)
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	checkPage(t, body, want, []string{"refused", "· lost", "|issued|", "|call|", "|task|", "|paid|", "RUB", "1234567.89"})
	// The English page speaks English, with the same figures.
	_, body, _ = ts.PageBody("GET", "/deals/"+dashtest.Itoa(id)+"?lang=en", "manager", nil)
	checkPage(t, body, []string{"Отказ · lost · probability 0%", "1,234,567.89\u00a0₽", "Stage history", "|Call|", "Board “Продажи”"}, []string{"Сумма"})
}

// TestDealPageAccess: the deal page answers as GET /api/v1/deals/{id}
// does — an observer reads it, a manager who is neither responsible nor
// observer gets a 404 page that shows nothing of it, as for a deal that
// does not exist.
func TestDealPageAccess(t *testing.T) {
	ts := newKanban(t)
	ids := map[string]int64{}
	for _, title := range []string{"Чужая", "Тайная", "Станки ЧПУ"} {
		var id int64
		if err := ts.PG.Pool.QueryRow(t.Context(), "SELECT id FROM deals WHERE title = $1", title).Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids[title] = id
	}
	for _, sc := range []struct {
		name, as, id string
		status       int
		contains     []string
		lacks        []string
	}{
		{"observer reads, marked", "manager", dashtest.Itoa(ids["Чужая"]), 200, []string{"<h1>Чужая</h1>", "я наблюдатель", "Петрова Анна Викторовна"}, nil},
		{"responsible reads", "manager2", dashtest.Itoa(ids["Чужая"]), 200, []string{"<h1>Чужая</h1>", "моя сделка"}, []string{"я наблюдатель"}},
		{"director reads a colleague's deal, no mark", "director", dashtest.Itoa(ids["Тайная"]), 200, []string{"<h1>Тайная</h1>"}, []string{"моя сделка", "я наблюдатель"}},
		{"no access: another manager's deal", "manager", dashtest.Itoa(ids["Тайная"]), 404, []string{"Сделка не найдена", "нет или она вам не видна"}, []string{"Тайная", "8\u00a0000"}},
		{"no access: manager2 and manager's deal", "manager2", dashtest.Itoa(ids["Станки ЧПУ"]), 404, []string{"Сделка не найдена"}, []string{"Станки"}},
		{"no such deal", "director", "999999999", 404, []string{"Сделка не найдена"}, nil},
		{"not an id", "director", "abc", 404, []string{"Сделка не найдена"}, nil},
	} {
		t.Run(sc.name, func(t *testing.T) {
			status, body, _ := ts.PageBody("GET", "/deals/"+sc.id, sc.as, nil)
			api, _ := ts.Do("GET", "/api/v1/deals/"+sc.id, sc.as, "")
			if status != sc.status || sc.id != "abc" && api != sc.status {
				t.Fatalf("page %d, API %d, want %d", status, api, sc.status)
			}
			checkPage(t, body, sc.contains, sc.lacks)
		})
	}
	if st, _, h := ts.PageBody("GET", "/deals/1", "", nil); st != 303 || h.Get("Location") != "/login" {
		t.Errorf("anonymous: %d %q", st, h.Get("Location"))
	}
}
