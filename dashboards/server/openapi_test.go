package server_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/voronka/voronka/dashboards/dashtest"
	"github.com/voronka/voronka/dashboards/server"
)

// TestOpenAPIMatchesRoutes: every /api/v1 route the whole server serves
// is in openapi.json, and everything openapi.json documents is served.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	ts := dashtest.New(t)
	var spec struct {
		Paths map[string]map[string]json.RawMessage
	}
	if st := ts.DoJSON("GET", "/api/v1/openapi.json", "", nil, &spec); st != 200 {
		t.Fatalf("status %d", st)
	}
	documented := map[string]bool{}
	for p, ops := range spec.Paths {
		for m := range ops {
			documented[strings.ToUpper(m)+" "+p] = true
		}
	}
	registered := map[string]bool{}
	for _, r := range ts.Srv.App().GetRoutes(true) {
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

// A currency rate is a number in the document, as in the answers.
func TestOpenAPIRateIsANumber(t *testing.T) {
	ts := dashtest.New(t)
	var spec struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]map[string]any
			}
		}
	}
	if st := ts.DoJSON("GET", "/api/v1/openapi.json", "", nil, &spec); st != 200 {
		t.Fatalf("status %d", st)
	}
	for _, name := range []string{"rates_Rate", "rates_Put"} {
		if got := spec.Components.Schemas[name].Properties["rate"]["type"]; got != "number" {
			t.Errorf("%s.rate: type %v, want number (%v)", name, got, spec.Components.Schemas[name])
		}
	}
}
