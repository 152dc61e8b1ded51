package pages_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// builderForm is the builder's selection for the filter tests: deals by
// responsible, count and amount, with extra form fields (filter rows).
func builderForm(extra url.Values) url.Values {
	v := url.Values{"dataset": {"deals"}, "dim1": {"responsible_name"}, "measure1": {"count"}, "measure2": {"amount:sum"}, "chart": {"bar"}, "do": {"save"}}
	for k, x := range extra {
		v[k] = x
	}
	return v
}

// previewURL is the builder's preview address for the form.
func previewURL(extra url.Values) string { return "/reports/new?" + builderForm(extra).Encode() }

// TestBuilderFilters: filter rows narrow the preview and are saved with
// the report. Fixture (dashtest.ReportFixture): manager's М-1 (1000 ₽, stage new,
// created 10 Jan 2025) and М-2 (9000 ₽, won, 20 Jan), manager2's «Секрет»
// (5000 ₽, needs, 15 Jan); expected rows worked out by hand from it.
func TestBuilderFilters(t *testing.T) {
	ts := dashtest.NewReport(t)
	m2 := dashtest.Itoa(ts.Users["manager2"].ID)
	f := func(kv ...string) url.Values {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Add(kv[i], kv[i+1])
		}
		return v
	}
	saved := ts.RowCount("saved_reports")
	badValue := builderForm(f("f0_field", "amount", "f0_op", "gt", "f0_v", "lots", "csrf", dashtest.CSRF, "name", "Плохой"))
	noValue := builderForm(f("f0_field", "amount", "f0_op", "gt", "csrf", dashtest.CSRF, "name", "Пустой"))
	noCSRF := builderForm(f("f0_field", "amount", "f0_op", "gt", "f0_v", "2000", "name", "Без токена"))
	runPageScenarios(t, ts, []pageScenario{
		// М-2 9000 and «Секрет» 5000 are above 2000; М-1 is not.
		{name: "amount greater than 2000", method: "GET", url: previewURL(f("f0_field", "amount", "f0_op", "gt", "f0_v", "2 000")), as: "analyst", status: 200,
			contains: []string{"|Иванов Иван Иванович||1||9\u00a0000,00\u00a0₽|", "|Петрова Анна Викторовна||1||5\u00a0000,00\u00a0₽|", `name="f0_v" value="2 000" inputmode="decimal"`}},
		// stage new (М-1) or needs («Секрет»), picked from the known stages.
		{name: "stage in a list picked", method: "GET", url: previewURL(f("f0_field", "stage", "f0_op", "in", "f0_vs", "new", "f0_vs", "needs")), as: "analyst", status: 200,
			contains: []string{"|Иванов Иван Иванович||1||1\u00a0000,00\u00a0₽|", "|Петрова Анна Викторовна||1||5\u00a0000,00\u00a0₽|", `name="f0_vs" multiple`, `value="needs" selected`},
			lacks:    []string{"|2||10\u00a0000,00\u00a0₽|"}},
		{name: "responsible picked by name", method: "GET", url: previewURL(f("f0_field", "responsible", "f0_op", "eq", "f0_v", m2)), as: "analyst", status: 200,
			contains: []string{"|Петрова Анна Викторовна||1||5\u00a0000,00\u00a0₽|", `<option value="` + m2 + `" selected>Петрова Анна Викторовна</option>`},
			lacks:    []string{"|Иванов Иван Иванович||2||10\u00a0000,00\u00a0₽|", "|3||15\u00a0000,00\u00a0₽|"}},
		// 1–15 January, both days whole: М-1 (10th) and «Секрет» (15th).
		{name: "created between two dates", method: "GET", url: previewURL(f("f0_field", "created_at", "f0_op", "between", "f0_v", "2025-01-01", "f0_v2", "2025-01-15")), as: "analyst", status: 200,
			contains: []string{"|Иванов Иван Иванович||1||1\u00a0000,00\u00a0₽|", "|Петрова Анна Викторовна||1||5\u00a0000,00\u00a0₽|", `type="date" name="f0_v2" value="2025-01-15"`}},
		// two rows together: title contains «м-» (М-1, М-2) and amount below 5000 (М-1).
		{name: "two rows, both apply", method: "GET", url: previewURL(f("f0_field", "title", "f0_op", "contains", "f0_v", "м-", "f1_field", "amount", "f1_op", "lt", "f1_v", "5000")), as: "analyst", status: 200,
			contains: []string{"|Иванов Иван Иванович||1||1\u00a0000,00\u00a0₽|", `id="filter-2"`}, lacks: []string{"Петрова Анна Викторовна||", "|9\u00a0000,00\u00a0₽|"}},
		{name: "is empty needs no value", method: "GET", url: previewURL(f("f0_field", "closed_at", "f0_op", "is_null")), as: "analyst", status: 200,
			contains: []string{"|Иванов Иван Иванович||2||10\u00a0000,00\u00a0₽|"}, lacks: []string{`name="f0_v"`}},
		{name: "a field's operators follow its type", method: "GET", url: previewURL(f("f0_field", "created_at", "refresh", "1")), as: "analyst", status: 200,
			contains: []string{`<option value="between">между (включительно)</option>`, `<option value="gt" selected>после</option>`, `<option value="lt">до</option>`, `type="date" name="f0_v"`}, lacks: []string{`value="contains"`, `id="panel-preview"`}},
		{name: "without JavaScript a new row asks for its value", method: "GET", url: previewURL(f("f0_field", "amount")), as: "analyst", status: 200,
			contains: []string{`class="filter-row invalid" id="filter-0"`, "Укажите значение.", `<option value="eq" selected>`}},
		{name: "an unknown field is refused at its row", method: "GET", url: previewURL(f("f0_field", "password_hash", "f0_op", "eq", "f0_v", "x")), as: "analyst", status: 200,
			contains: []string{`class="filter-row invalid" id="filter-0"`, `class="error"`}, lacks: []string{"|Иванов Иван Иванович||2||10\u00a0000,00\u00a0₽|"}},
		{name: "English labels", method: "GET", url: previewURL(f("f0_field", "amount", "f0_op", "between", "f0_v", "1000", "f0_v2", "5000", "lang", "en")), as: "analyst", status: 200,
			// between 1000 and 5000, both included: М-1 and «Секрет».
			contains: []string{`<option value="between" selected>between (inclusive)</option>`, ">Amount, RUB<", "|Иванов Иван Иванович||1||1,000.00\u00a0₽|", "|Петрова Анна Викторовна||1||5,000.00\u00a0₽|"}},
		{name: "an invalid value is shown at its row", method: "GET", url: previewURL(f("f0_field", "amount", "f0_op", "gt", "f0_v", "lots")), as: "analyst", status: 200,
			contains: []string{`class="filter-row invalid" id="filter-0"`, "Нужна сумма: число, не больше двух знаков после запятой."}},
		{name: "saving an invalid value: 422 at its row", method: "POST", url: "/reports/new", as: "analyst", form: badValue, status: 422,
			contains: []string{`class="filter-row invalid" id="filter-0"`, "Нужна сумма: число, не больше двух знаков после запятой."}},
		{name: "saving a row without a value", method: "POST", url: "/reports/new", as: "analyst", form: noValue, status: 422,
			contains: []string{`class="filter-row invalid" id="filter-0"`, "Укажите значение."}},
		{name: "saving without CSRF", method: "POST", url: "/reports/new", as: "analyst", form: noCSRF, status: 403},
	})
	if n := ts.RowCount("saved_reports"); n != saved {
		t.Fatalf("saved_reports %d after rejected saves, want %d", n, saved)
	}
	good := builderForm(f("f0_field", "amount", "f0_op", "gt", "f0_v", "2000", "csrf", dashtest.CSRF, "name", "Крупные сделки"))
	status, _, h := ts.PageBody("POST", "/reports/new", "analyst", good)
	if status != 303 || ts.RowCount("saved_reports") != saved+1 {
		t.Fatalf("save: %d %q", status, h.Get("Location"))
	}
	id := strings.TrimPrefix(h.Get("Location"), "/reports/")
	_, body := ts.Do("GET", "/api/v1/reports/"+id, "analyst", "")
	if !strings.Contains(body, `"filters":[{"field":"amount","op":"gt","value":2000}]`) {
		t.Fatalf("saved definition: %s", body)
	}
	if _, page, _ := ts.PageBody("GET", "/reports/"+id, "analyst", nil); !strings.Contains(tableText(page), "|Иванов Иван Иванович||1||9\u00a0000,00\u00a0₽|") {
		t.Fatalf("saved report's table: %s", tableText(page))
	}
}

// TestBuilderEdit: a saved report opens in the builder prefilled and its
// owner (or an admin) saves changes over it; others get 404 or 403 as
// PATCH /api/v1/reports/{id} gives them, and nothing changes; standard
// reports open as a copy.
func TestBuilderEdit(t *testing.T) {
	ts := dashtest.NewReport(t)
	create := func(as, name string, shared bool) string {
		var r struct{ ID int64 }
		def := `{"dataset":"deals","dimensions":[{"field":"responsible_name"}],"measures":[{"agg":"count"},{"field":"amount","agg":"sum"}],` +
			`"filters":[{"field":"amount","op":"gt","value":2000}],"period":{"preset":"this_year"},"chart":{"type":"pie"}}`
		status, body := ts.Do("POST", "/api/v1/reports", as, `{"name":"`+name+`","shared":`+map[bool]string{true: "true", false: "false"}[shared]+`,"definition":`+def+`}`)
		if status != 201 || json.Unmarshal([]byte(body), &r) != nil {
			t.Fatalf("create %s: %d %s", name, status, body)
		}
		return dashtest.Itoa(r.ID)
	}
	own, shared := create("analyst", "Аналитика", false), create("analyst", "Общий", true)
	dirs := create("director", "Директорский", false)
	var wide struct{ ID int64 }
	if ts.DoJSON("POST", "/api/v1/reports", "analyst", map[string]any{"name": "Три группировки", "definition": map[string]any{"dataset": "deals",
		"dimensions": []any{map[string]string{"field": "stage"}, map[string]string{"field": "title"}, map[string]string{"field": "currency"}},
		"measures":   []any{map[string]string{"agg": "count"}}}}, &wide) != 201 {
		t.Fatal("create a report of three groupings")
	}
	beyond := dashtest.Itoa(wide.ID)
	definitions := func() string {
		_, body := ts.Do("GET", "/api/v1/reports", "admin", "")
		return body
	}
	before, count := definitions(), ts.RowCount("saved_reports")
	change := builderForm(url.Values{"f0_field": {"amount"}, "f0_op": {"lt"}, "f0_v": {"5000"}, "name": {"Мелкие"}, "csrf": {dashtest.CSRF}})
	noCSRF := builderForm(url.Values{"f0_field": {"amount"}, "f0_op": {"lt"}, "f0_v": {"5000"}, "name": {"Мелкие"}})
	bad := builderForm(url.Values{"f0_field": {"amount"}, "f0_op": {"lt"}, "f0_v": {"мало"}, "name": {"Мелкие"}, "csrf": {dashtest.CSRF}})
	runPageScenarios(t, ts, []pageScenario{
		{name: "the owner sees Edit", method: "GET", url: "/reports/" + own, as: "analyst", status: 200,
			contains: []string{`href="/reports/` + own + `/edit"`, "Изменить в конструкторе"}},
		{name: "another builder sees Copy", method: "GET", url: "/reports/" + shared, as: "director", status: 200,
			contains: []string{`href="/reports/` + shared + `/edit"`, "Открыть копию в конструкторе"}},
		{name: "a manager sees neither", method: "GET", url: "/reports/" + shared, as: "manager", status: 200, lacks: []string{`/edit"`}},
		{name: "three groupings are beyond the builder", method: "GET", url: "/reports/" + beyond, as: "analyst", status: 200, lacks: []string{`/edit"`}},
		{name: "a funnel opens in the builder", method: "GET", url: "/reports/sales_funnel", as: "analyst", status: 200,
			contains: []string{`href="/reports/sales_funnel/edit"`}},
		{name: "edit form prefilled", method: "GET", url: "/reports/" + own + "/edit", as: "analyst", status: 200,
			contains: []string{`action="/reports/` + own + `/edit"`, `<option value="amount" selected>Сумма, ₽</option>`, `<option value="gt" selected>`,
				`name="f0_v" value="2000"`, `value="this_year" selected`, `value="pie" selected`, `name="name" required maxlength="255" value="Аналитика"`,
				`id="save-copy"`, "|Иванов Иван Иванович||1||9\u00a0000,00\u00a0₽|", "Сохранить изменения"}},
		{name: "a shared report of another opens as a copy", method: "GET", url: "/reports/" + shared + "/edit", as: "director", status: 200,
			contains: []string{`formaction="/reports/new"`, `value="Общий (копия)"`, "Сохранить как копию"}, lacks: []string{`id="save-copy"`}},
		{name: "a standard report opens as a copy", method: "GET", url: "/reports/deals_by_stage/edit", as: "analyst", status: 200,
			contains: []string{`value="Сделки по стадиям (копия)"`, `formaction="/reports/new"`, `<option value="pipeline" selected>`, `<option value="sales" selected>Продажи</option>`}},
		{name: "the standard funnel opens as a funnel", method: "GET", url: "/reports/sales_funnel/edit", as: "analyst", status: 200,
			contains: []string{`<option value="funnel" selected>`, `<option value="reached" selected>`, `<option value="last_90_days" selected>`, `name="window_days"`,
				`id="chart-preview"`, "|Не обработана||3|"}, lacks: []string{`name="dataset"`, `name="f0_field"`}},
		{name: "a report beyond the builder cannot open", method: "GET", url: "/reports/" + beyond + "/edit", as: "analyst", status: 422},
		{name: "another's unshared report: 404", method: "GET", url: "/reports/" + dirs + "/edit", as: "analyst", status: 404},
		{name: "the builder is for builders", method: "GET", url: "/reports/" + shared + "/edit", as: "manager", status: 303, location: "/reports"},
		{name: "save without CSRF", method: "POST", url: "/reports/" + own + "/edit", as: "analyst", form: noCSRF, status: 403},
		{name: "a manager: another's unshared report is 404", method: "POST", url: "/reports/" + own + "/edit", as: "manager", form: change, status: 404},
		{name: "a manager: a shared one is 403", method: "POST", url: "/reports/" + shared + "/edit", as: "manager", form: change, status: 403},
		{name: "the director is not the owner", method: "POST", url: "/reports/" + shared + "/edit", as: "director", form: change, status: 403},
		{name: "the analyst: the director's unshared report is 404", method: "POST", url: "/reports/" + dirs + "/edit", as: "analyst", form: change, status: 404},
		{name: "a standard report is read-only", method: "POST", url: "/reports/deals_by_stage/edit", as: "analyst", form: change, status: 403},
		{name: "an invalid value: 422 at its row", method: "POST", url: "/reports/" + own + "/edit", as: "analyst", form: bad, status: 422,
			contains: []string{`class="filter-row invalid" id="filter-0"`, "Нужна сумма: число, не больше двух знаков после запятой."}},
	})
	if after := definitions(); after != before || ts.RowCount("saved_reports") != count {
		t.Fatalf("rejected edits changed reports:\n%s\n%s", before, after)
	}
	for _, sc := range []struct{ as, id string }{{"analyst", own}, {"admin", dirs}} {
		status, _, h := ts.PageBody("POST", "/reports/"+sc.id+"/edit", sc.as, change)
		if status != 303 || h.Get("Location") != "/reports/"+sc.id {
			t.Fatalf("%s saves %s: %d %q", sc.as, sc.id, status, h.Get("Location"))
		}
		var got struct {
			Name       string
			Definition json.RawMessage
		}
		if ts.DoJSON("GET", "/api/v1/reports/"+sc.id, "admin", nil, &got) != 200 || got.Name != "Мелкие" ||
			!strings.Contains(string(got.Definition), `"filters":[{"field":"amount","op":"lt","value":5000}]`) {
			t.Fatalf("%s after saving: %s %s", sc.id, got.Name, got.Definition)
		}
	}
	if ts.RowCount("saved_reports") != count {
		t.Fatalf("saving changes added reports")
	}
}
