package dashboards

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/voronka/voronka/dashboards/server"
)

func TestAuthAndPipelines(t *testing.T) {
	ts := newTestServer(t)
	newPipeline := `{"code":"partners","name":"Партнёрский канал","entity":"deal",
		"stages":[{"code":"new","name":"Новая","kind":"open","probability":10,"group":"Старт"},
		          {"code":"won","name":"Успех","kind":"won","probability":100,"group":"Победа"}],
		"transitions":[{"from":"new","to":"won"}]}`
	runScenarios(t, ts, []scenario{
		{name: "anonymous gets 401", method: "GET", url: "/api/v1/pipelines", status: 401, contains: []string{`"code":"unauthenticated"`}},
		{name: "bad token gets 401", method: "GET", url: "/api/v1/me", as: "nobody", status: 401},
		{name: "wrong password", method: "POST", url: "/api/v1/auth/login", body: `{"email":"admin@test.local","password":"x"}`, status: 401,
			contains: []string{"invalid_credentials"}},
		{name: "me", method: "GET", url: "/api/v1/me", as: "manager", status: 200, contains: []string{"Иванов Иван Иванович", `"role":"manager"`},
			notContains: []string{"password"}},
		{name: "seeded pipelines", method: "GET", url: "/api/v1/pipelines", as: "manager", status: 200,
			contains: []string{`"code":"sales"`, "Сбор потребностей", `"code":"interest"`, "Работа по договору", `"code":"leads"`, "Дисквалифицирован"}},
		{name: "manager may not create pipelines", method: "POST", url: "/api/v1/pipelines", as: "manager", body: newPipeline, status: 403},
		{name: "director may not create pipelines", method: "POST", url: "/api/v1/pipelines", as: "director", body: newPipeline, status: 403},
		{name: "admin creates a pipeline", method: "POST", url: "/api/v1/pipelines", as: "admin", body: newPipeline, status: 201,
			contains: []string{`"code":"partners"`, `"from":"new","to":"won"`}},
		{name: "duplicate pipeline code", method: "POST", url: "/api/v1/pipelines", as: "admin", body: newPipeline, status: 409},
		{name: "transition to unknown stage", method: "POST", url: "/api/v1/pipelines", as: "admin", status: 422, field: "transitions[0].to",
			body: `{"code":"p2","name":"x","entity":"deal","stages":[{"code":"a","name":"A","kind":"open","probability":0,"group":"g"},{"code":"b","name":"B","kind":"won","probability":100,"group":"g"}],"transitions":[{"from":"a","to":"zzz"}]}`},
		{name: "unknown route", method: "GET", url: "/api/v1/nope", as: "admin", status: 404, contains: []string{`"code":"not_found"`}},
		{name: "healthz", method: "GET", url: "/healthz", status: 200},
		{name: "readyz", method: "GET", url: "/readyz", status: 200},
	})
	if n := ts.rowCount("pipelines"); n != 4 {
		t.Errorf("pipelines = %d, want 3 seeded + 1 created", n)
	}
}

func TestSalesGraphMatchesTheIssue(t *testing.T) {
	ts := newTestServer(t)
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
	if st := ts.doJSON("GET", "/api/v1/pipelines", "analyst", nil, &got); st != 200 {
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

func TestOpenAPIMatchesRoutes(t *testing.T) {
	ts := newTestServer(t)
	var spec struct {
		Paths map[string]map[string]json.RawMessage
	}
	if st := ts.doJSON("GET", "/api/v1/openapi.json", "", nil, &spec); st != 200 {
		t.Fatalf("status %d", st)
	}
	documented := map[string]bool{}
	for p, ops := range spec.Paths {
		for m := range ops {
			documented[strings.ToUpper(m)+" "+p] = true
		}
	}
	registered := map[string]bool{}
	for _, r := range ts.srv.App().GetRoutes(true) {
		if !strings.HasPrefix(r.Path, "/api/v1/") || r.Path == "/api/v1/openapi.json" || r.Method == "HEAD" {
			continue
		}
		registered[r.Method+" "+server.OpenAPIPath(r.Path)] = true
	}
	for k := range registered {
		if !documented[k] {
			t.Errorf("route %s is served but not in openapi.json", k)
		}
	}
	for k := range documented {
		if !registered[k] {
			t.Errorf("openapi.json documents %s, which is not served", k)
		}
	}
	if len(registered) < 5 {
		t.Errorf("only %d routes registered", len(registered))
	}
}
