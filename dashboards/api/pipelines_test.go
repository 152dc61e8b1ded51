package api_test

import (
	"sort"
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
)

func TestAuthAndPipelines(t *testing.T) {
	ts := dashtest.New(t)
	newPipeline := `{"code":"partners","name":"Партнёрский канал","entity":"deal",
		"stages":[{"code":"new","name":"Новая","kind":"open","probability":10,"group":"Старт"},
		          {"code":"won","name":"Успех","kind":"won","probability":100,"group":"Победа"}],
		"transitions":[{"from":"new","to":"won"}]}`
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "anonymous gets 401", Method: "GET", URL: "/api/v1/pipelines", Status: 401, Contains: []string{`"code":"unauthenticated"`}},
		{Name: "bad token gets 401", Method: "GET", URL: "/api/v1/me", As: "nobody", Status: 401},
		{Name: "wrong password", Method: "POST", URL: "/api/v1/auth/login", Body: `{"email":"admin@test.local","password":"x"}`, Status: 401,
			Contains: []string{"invalid_credentials"}},
		{Name: "me", Method: "GET", URL: "/api/v1/me", As: "manager", Status: 200, Contains: []string{"Иванов Иван Иванович", `"role":"manager"`},
			NotContains: []string{"password"}},
		{Name: "seeded pipelines", Method: "GET", URL: "/api/v1/pipelines", As: "manager", Status: 200,
			Contains: []string{`"code":"sales"`, "Сбор потребностей", `"code":"interest"`, "Работа по договору", `"code":"leads"`, "Дисквалифицирован"}},
		{Name: "manager may not create pipelines", Method: "POST", URL: "/api/v1/pipelines", As: "manager", Body: newPipeline, Status: 403},
		{Name: "director may not create pipelines", Method: "POST", URL: "/api/v1/pipelines", As: "director", Body: newPipeline, Status: 403},
		{Name: "admin creates a pipeline", Method: "POST", URL: "/api/v1/pipelines", As: "admin", Body: newPipeline, Status: 201,
			Contains: []string{`"code":"partners"`, `"from":"new","to":"won"`}},
		{Name: "duplicate pipeline code", Method: "POST", URL: "/api/v1/pipelines", As: "admin", Body: newPipeline, Status: 409},
		{Name: "transition to unknown stage", Method: "POST", URL: "/api/v1/pipelines", As: "admin", Status: 422, Field: "transitions[0].to",
			Body: `{"code":"p2","name":"x","entity":"deal","stages":[{"code":"a","name":"A","kind":"open","probability":0,"group":"g"},{"code":"b","name":"B","kind":"won","probability":100,"group":"g"}],"transitions":[{"from":"a","to":"zzz"}]}`},
		{Name: "unknown route", Method: "GET", URL: "/api/v1/nope", As: "admin", Status: 404, Contains: []string{`"code":"not_found"`}},
		{Name: "healthz", Method: "GET", URL: "/healthz", Status: 200},
		{Name: "readyz", Method: "GET", URL: "/readyz", Status: 200},
	})
	if n := ts.RowCount("pipelines"); n != 4 {
		t.Errorf("pipelines = %d, want 3 seeded + 1 created", n)
	}
}

func TestSalesGraphMatchesTheIssue(t *testing.T) {
	ts := dashtest.New(t)
	var got struct {
		Items []struct {
			Code   string
			Stages []struct {
				Code, Name, Kind, Group string
				Probability             int
			}
			Transitions []struct{ From, To string }
		}
	}
	if st := ts.DoJSON("GET", "/api/v1/pipelines", "analyst", nil, &got); st != 200 {
		t.Fatalf("status %d", st)
	}
	want := map[string]string{ // interest: the issue's transition list, verbatim
		"new>choice": "", "new>refused": "", "choice>invoicing": "", "choice>refused": "",
		"invoicing>paid": "", "invoicing>refused": "", "paid>awaiting_docs": "",
		"awaiting_docs>client": "", "client>contract_work": "", "contract_work>invoicing": "",
	}
	for _, p := range got.Items {
		if p.Code != "interest" {
			continue
		}
		var have []string
		for _, tr := range p.Transitions {
			have = append(have, tr.From+">"+tr.To)
			if _, ok := want[tr.From+">"+tr.To]; !ok {
				t.Errorf("unexpected transition %s>%s", tr.From, tr.To)
			}
		}
		if len(have) != len(want) {
			sort.Strings(have)
			t.Errorf("interest transitions %v, want the %d of the issue", have, len(want))
		}
	}
	probs := map[string]int{"new": 0, "first_contact": 20, "needs": 20, "presentation": 40, "proposal": 40, "prototype": 40, "decision": 60, "won": 100}
	for _, p := range got.Items {
		if p.Code != "sales" {
			continue
		}
		for _, s := range p.Stages {
			if want, ok := probs[s.Code]; ok && s.Probability != want {
				t.Errorf("sales %s probability %d, want %d", s.Code, s.Probability, want)
			}
		}
	}
}
