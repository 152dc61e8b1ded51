package api_test

import (
	"sort"
	"strconv"
	"strings"
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

// TestPipelineContractShape: a pipeline posted as /work/shared/API.md
// shows it (code, name, stages, transitions; no entity) is a deal
// pipeline; positions are stored as sent, 0-based included, and a
// repeated position is refused naming the stage, never renumbered.
func TestPipelineContractShape(t *testing.T) {
	ts := dashtest.New(t)
	stage := func(code, kind string, pos string) string {
		p := ""
		if pos != "" {
			p = `,"position":` + pos
		}
		return `{"code":"` + code + `","name":"` + code + `","kind":"` + kind + `","probability":50,"group":"g"` + p + `}`
	}
	pipeline := func(code string, stages ...string) string {
		return `{"code":"` + code + `","name":"Контракт","stages":[` + strings.Join(stages, ",") + `],"transitions":[{"from":"a","to":"b"}]}`
	}
	// withEntity names the entity, so a position case tests positions only.
	withEntity := func(body string) string { return strings.Replace(body, `"stages"`, `"entity":"deal","stages"`, 1) }
	dashtest.RunScenarios(t, ts, []dashtest.Scenario{
		{Name: "no entity: a deal pipeline", Method: "POST", URL: "/api/v1/pipelines", As: "admin", Status: 201,
			Body: pipeline("contract", stage("a", "open", ""), stage("b", "won", "")), Contains: []string{`"entity":"deal"`}},
		{Name: "0-based positions", Method: "POST", URL: "/api/v1/pipelines", As: "admin", Status: 201,
			Body: withEntity(pipeline("zero", stage("b", "won", "1"), stage("a", "open", "0"), stage("c", "lost", "2")))},
		{Name: "a repeated position", Method: "POST", URL: "/api/v1/pipelines", As: "admin", Status: 422, Field: "stages[1].position",
			Body: withEntity(pipeline("dup", stage("a", "open", "0"), stage("b", "won", "0"), stage("c", "lost", "1"))), Contains: []string{`"code":"duplicate"`}},
		{Name: "a repeated 1", Method: "POST", URL: "/api/v1/pipelines", As: "admin", Status: 422, Field: "stages[2].position",
			Body: withEntity(pipeline("dup1", stage("a", "open", "1"), stage("b", "won", "2"), stage("c", "lost", "1")))},
		{Name: "a negative position", Method: "POST", URL: "/api/v1/pipelines", As: "admin", Status: 422, Field: "stages[0].position",
			Body: withEntity(pipeline("neg", stage("a", "open", "-1"), stage("b", "won", "1")))},
		{Name: "entity lead still accepted", Method: "POST", URL: "/api/v1/pipelines", As: "admin", Status: 201,
			Body:     `{"code":"lead2","name":"Лиды 2","entity":"lead","stages":[` + stage("a", "open", "") + `,` + stage("b", "won", "") + `]}`,
			Contains: []string{`"entity":"lead"`}},
	})
	var got struct {
		Items []struct {
			Code, Entity string
			Stages       []struct {
				Code     string
				Position int
			}
		}
	}
	if st := ts.DoJSON("GET", "/api/v1/pipelines", "admin", nil, &got); st != 200 {
		t.Fatalf("status %d", st)
	}
	want := map[string]string{"contract": "deal a1 b2", "zero": "deal a0 b1 c2", "lead2": "lead a1 b2"}
	for _, p := range got.Items {
		w, ok := want[p.Code]
		if !ok {
			continue
		}
		have := p.Entity
		for _, s := range p.Stages {
			have += " " + s.Code + strconv.Itoa(s.Position)
		}
		if have != w {
			t.Errorf("%s: %q, want %q", p.Code, have, w)
		}
		delete(want, p.Code)
	}
	if len(want) != 0 {
		t.Errorf("not listed: %v", want)
	}
	if n := ts.RowCount("pipelines"); n != 6 {
		t.Errorf("pipelines = %d, want 3 seeded + 3 created", n)
	}
	// The contract pipeline takes deals: it is a deal pipeline indeed.
	body := `{"title":"По контракту","pipeline":"contract","amount":10,"currency":"RUB","responsible_id":` + dashtest.Itoa(ts.Users["manager"].ID) + `}`
	if st, b := ts.Do("POST", "/api/v1/deals", "admin", body); st != 201 || !strings.Contains(b, `"stage":"a"`) {
		t.Errorf("a deal in the contract pipeline: %d %s", st, b)
	}
}
