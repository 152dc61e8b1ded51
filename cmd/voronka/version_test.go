package main

import (
	"strings"
	"testing"

	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/olap"
)

// A ClickHouse outside the tested lines stops migrate, naming the
// override; VORONKA_CH_ANY_VERSION=1 or --ch-any-version lets it run. The
// 18.16 dev server plays the untested one by narrowing the list.
func TestUntestedClickHouseVersionNeedsOverride(t *testing.T) {
	pg := testenv.NewEmptyPG(t)
	vars := map[string]string{"VORONKA_PG_URL": pg.URL, "VORONKA_CH_DATABASE": testenv.NewEmptyCH(t).Database}
	saved := olap.TestedVersions
	olap.TestedVersions = []string{"26."}
	t.Cleanup(func() { olap.TestedVersions = saved })
	_, err := runCLI(t, vars, "migrate")
	if err == nil || !strings.Contains(err.Error(), "VORONKA_CH_ANY_VERSION") || !strings.Contains(err.Error(), "18.16") {
		t.Fatalf("migrate on an untested server: %v, want a refusal naming the version and the override", err)
	}
	if out, err := runCLI(t, vars, "migrate", "--ch-any-version"); err != nil || !strings.Contains(out, "clickhouse: ") {
		t.Fatalf("migrate --ch-any-version: %v %q", err, out)
	}
	vars["VORONKA_CH_ANY_VERSION"] = "1"
	if out, err := runCLI(t, vars, "migrate"); err != nil || !strings.Contains(out, "clickhouse: 0 migration(s) applied") {
		t.Fatalf("migrate with VORONKA_CH_ANY_VERSION=1: %v %q", err, out)
	}
}
