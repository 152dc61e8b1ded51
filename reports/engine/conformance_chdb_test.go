//go:build chdb

package engine

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/chdb"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/kinds"
)

// cfEngines are the same seeded CRM copied by testenv.Mirror into the
// 18.16 dev server (old) and into chDB's ClickHouse 26.x (cur).
type cfEngines struct {
	old, cur   *Engine
	principals map[string]domain.Principal
}

// cfSetup seeds 2,000 deals (kxSeeded) and mirrors them into chDB too.
func cfSetup(t *testing.T) *cfEngines {
	t.Helper()
	s := kxSeeded(t)
	cur := chdb.NewTestDB(t)
	kxCopy(t, s.pg, cur, nil)
	var director int64
	if err := s.pg.Pool.QueryRow(context.Background(), `SELECT min(id) FROM users WHERE role = 'director'`).Scan(&director); err != nil {
		t.Fatal(err)
	}
	return &cfEngines{old: s.eng, cur: &Engine{CH: cur.DB, Now: s.eng.Now},
		principals: map[string]domain.Principal{
			"director": {UserID: director, Role: domain.RoleDirector},
			"manager":  kxBusyManager(t, s),
		}}
}

// same runs def for every principal on both engines and fails on any
// difference; it returns the rows the 18.16 engine answered, in total,
// and whether def ran (valid definitions must run on both).
func (e *cfEngines) same(t *testing.T, name string, def reports.Definition) (int, bool) {
	t.Helper()
	ctx := context.Background()
	rows, ran := 0, false
	for who, p := range e.principals {
		d1, d2 := def, def
		a, errA := e.old.Run(ctx, p, &d1)
		b, errB := e.cur.Run(ctx, p, &d2)
		if d := sameError(errA, errB); d != "" {
			t.Errorf("%s as %s: %s", name, who, d)
			continue
		}
		if errA != nil {
			continue
		}
		if d := sameResult(a, b); d != "" {
			j, _ := json.Marshal(def)
			t.Errorf("%s as %s: 18.16 and 26.x differ: %s\ndefinition %s", name, who, d, j)
		}
		rows, ran = rows+len(a.Rows), true
	}
	return rows, ran
}

// Every standard report, with its default period and over the seeded
// year, answers the same on both engines.
func TestConformanceCatalog(t *testing.T) {
	e := cfSetup(t)
	total := 0
	for _, r := range reports.StandardReports() {
		for _, period := range [][2]string{{"", ""}, {kxSeedYear.From, kxSeedYear.To}} {
			n, ran := e.same(t, r.ID+" "+period[0], r.WithPeriod(period[0], period[1]))
			if !ran {
				t.Errorf("standard report %s %v did not run", r.ID, period)
			}
			total += n
		}
	}
	if total < 100 {
		t.Errorf("the catalog answered %d rows in all: too few to prove anything", total)
	}
}

// Funnels in both modes, with and without a breakdown and a window;
// stage percentages, stage movement, manager activity and activities vs
// outcomes with their options.
func TestConformanceKinds(t *testing.T) {
	e := cfSetup(t)
	year := &reports.Period{From: kxSeedYear.From, To: kxSeedYear.To}
	var defs []reports.Definition
	for _, mode := range []string{"reached", "current"} {
		for _, breakdown := range []string{"", "responsible", "source", "stage", "currency", "lost_reason", "created_at_month", "created_at_year"} {
			for _, window := range []int{0, 30} {
				p := map[string]any{"pipeline": "sales", "mode": mode, "breakdown": breakdown, "window_days": window}
				defs = append(defs, reports.Definition{Kind: reports.KindFunnel, Params: cfJSON(t, p), Period: year})
			}
		}
	}
	defs = append(defs,
		reports.Definition{Kind: reports.KindFunnel, Params: cfJSON(t, map[string]any{"pipeline": "sales", "mode": "current", "as_of": "2025-01-15"})},
		reports.Definition{Kind: reports.KindStagePercentages, Params: cfJSON(t, map[string]any{"pipeline": "sales"})},
		reports.Definition{Kind: reports.KindStagePercentages, Params: cfJSON(t, map[string]any{"pipeline": "sales", "by_stage": true})},
		reports.Definition{Kind: reports.KindStageMovement, Params: cfJSON(t, map[string]any{"pipeline": "sales"}), Period: year},
		reports.Definition{Kind: reports.KindStageMovement, Params: cfJSON(t, map[string]any{"pipeline": "sales", "per_manager": true}), Period: year},
		reports.Definition{Kind: reports.KindManagerActivity, Period: year},
		reports.Definition{Kind: reports.KindManagerActivity, Period: &reports.Period{Preset: "this_month"}},
		reports.Definition{Kind: reports.KindActivityOutcomes, Period: year},
		reports.Definition{Kind: reports.KindStagePercentages, Params: cfJSON(t, map[string]any{"pipeline": "sales", "responsible": e.principals["manager"].UserID})},
		reports.Definition{Kind: reports.KindManagerActivity, Params: cfJSON(t, map[string]any{"pipeline": "sales"}), Period: year},
		reports.Definition{Kind: reports.KindActivityHeatmap, Period: year},
		reports.Definition{Kind: reports.KindActivityHeatmap, Params: cfJSON(t, map[string]any{"pipeline": "sales", "grain": "day"}), Period: year},
		reports.Definition{Kind: reports.KindActivityHeatmap, Params: cfJSON(t, map[string]any{"owner": e.principals["manager"].UserID, "grain": "month"}), Period: year},
	)
	ran := 0
	for _, def := range defs {
		name := def.Kind + " " + string(def.Params)
		if err := kinds.Validate(&def, time.Now()); err != nil {
			if !strings.Contains(name, `"mode":"current"`) || !strings.Contains(name, `"window_days":30`) {
				t.Errorf("%s: %v", name, err)
			}
			continue
		}
		if n, ok := e.same(t, name, def); ok && n > 0 {
			ran++
		}
	}
	if ran < len(defs)-16 {
		t.Errorf("only %d of %d definitions ran with rows", ran, len(defs))
	}
}

func cfJSON(t *testing.T, v map[string]any) json.RawMessage {
	t.Helper()
	for k, x := range v {
		if x == "" || x == 0 || x == false {
			delete(v, k)
		}
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The saved fuzz corpus (testdata/fuzz/FuzzCompile) and 2,000 more inputs
// drawn deterministically the same way: every definition that validates
// answers the same on both engines; refused ones are refused alike.
func TestConformanceFuzzCorpus(t *testing.T) {
	e := cfSetup(t)
	inputs := cfCorpus(t)
	ran := 0
	for i, in := range inputs {
		b, err := json.Marshal(fuzzDefinition(in.choices, in.text))
		if err != nil {
			t.Fatal(err)
		}
		def, err := reports.ParseDefinition(b)
		if err != nil || kinds.Validate(def, time.Now()) != nil {
			continue
		}
		if _, ok := e.same(t, "fuzz input "+strconv.Itoa(i)+" "+string(b), *def); ok {
			ran++
		}
	}
	if ran < 100 {
		t.Errorf("only %d of %d fuzz inputs gave a valid definition", ran, len(inputs))
	}
}

type cfInput struct {
	choices []byte
	text    string
}

// cfCorpus reads the saved corpus files (go test fuzz v1: a []byte and
// a string literal) and adds seeded pseudo-random inputs.
func cfCorpus(t *testing.T) []cfInput {
	t.Helper()
	files, err := filepath.Glob("testdata/fuzz/FuzzCompile/*")
	if err != nil || len(files) == 0 {
		t.Fatalf("fuzz corpus: %v (%d files)", err, len(files))
	}
	var out []cfInput
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(body)), "\n")
		if len(lines) != 3 || lines[0] != "go test fuzz v1" {
			t.Fatalf("%s: not a go test fuzz v1 file with two values", f)
		}
		choices := cfUnquote(t, f, lines[1], "[]byte(")
		text := cfUnquote(t, f, lines[2], "string(")
		out = append(out, cfInput{[]byte(choices), text})
	}
	texts := append(fuzzText, "Ромашка", "sales")
	x := uint32(2463534242)
	for i := 0; i < 2000; i++ {
		choices := make([]byte, 24)
		for j := range choices {
			x ^= x << 13
			x ^= x >> 17
			x ^= x << 5
			choices[j] = byte(x)
			if i%2 == 0 { // below 7: no rare() misspellings, mostly valid
				choices[j] %= 7
			}
		}
		out = append(out, cfInput{choices, texts[i%len(texts)]})
	}
	return out
}

func cfUnquote(t *testing.T, file, line, prefix string) string {
	t.Helper()
	if !strings.HasPrefix(line, prefix) || !strings.HasSuffix(line, ")") {
		t.Fatalf("%s: %q is not %s…)", file, line, prefix)
	}
	s, err := strconv.Unquote(line[len(prefix) : len(line)-1])
	if err != nil {
		t.Fatalf("%s: %q: %v", file, line, err)
	}
	return s
}
