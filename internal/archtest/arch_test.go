// Package archtest enforces the layout docs/architecture.md describes:
// which way imports point, which packages only tests may link, and how
// large a package may grow. Prose alone drifts; these tests do not.
package archtest

import (
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

const mod = "github.com/voronka/voronka/"

// Groups of packages the rules name ("…/" is a whole subtree).
var (
	// testSupport are linked by tests only: the binary never carries them.
	testSupport = []string{"internal/testenv", "internal/chdb", "reports/reportstest", "reports/compile/compiletest",
		"crmcore/mailbox/mailboxtest", "ingest/internal/logrepl/logrepltest", "dashboards/dashtest"}
	above       = []string{"crmcore/", "olap", "ingest/", "reports/", "dashboards/", "cmd/voronka", "bench"}
	httpLayer   = []string{"dashboards/", "cmd/voronka"}
	reportsRest = []string{"reports/compile", "reports/kinds", "reports/engine", "reports/saved", "reports/schedule", "reports/xlsx"}
	stores      = []string{"github.com/jackc/pgx/v5/", "github.com/ClickHouse/clickhouse-go/v2/"}
)

func join(groups ...[]string) []string {
	var out []string
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

// never lists, for every package of the module, what it must not reach
// (directly or through others): project packages by path below the
// module, third-party ones by full path. A package missing here fails
// TestEveryPackageHasARule, so a new package gets its rule when it is
// made.
var never = map[string][]string{
	// The leaves: value types, errors, languages, the dev servers.
	"domain":          join(above, stores, []string{"github.com/gofiber/fiber/v2/"}),
	"internal/apperr": join(above, []string{"domain", "internal/"}, stores),
	"internal/i18n":   join(above, []string{"domain", "internal/"}, stores),
	"internal/pgerr":  join(above, []string{"domain", "internal/devenv", "internal/i18n", "internal/testenv"}),
	"internal/devenv": join(above, []string{"domain", "internal/testenv", "internal/chdb"}),
	// The CRM core does not know that analytics exist.
	"crmcore": join([]string{"olap", "ingest/", "reports/", "dashboards/", "cmd/voronka", "crmcore/intake", "crmcore/mailbox", "crmcore/rates", "crmcore/stale", "crmcore/docs",
		// the core keeps to stdlib, pgx and squirrel: mail and legacy charsets live in its subpackages
		"github.com/emersion/go-imap/v2/imapclient", "github.com/emersion/go-message", "golang.org/x/text/encoding/charmap"}),
	"crmcore/intake": {"olap", "ingest/", "reports/", "dashboards/", "cmd/voronka", "crmcore/mailbox",
		"github.com/emersion/go-imap/v2/imapclient", "github.com/emersion/go-message"},
	"crmcore/mailbox": {"olap", "ingest/", "reports/", "dashboards/", "cmd/voronka"},
	"crmcore/seed":    {"olap", "ingest/", "reports/", "dashboards/", "cmd/voronka"},
	// Rates by date; stale deals on PostgreSQL (the definition the pages
	// read); the documents of a deal: each on the core alone.
	"crmcore/rates": join(above[1:], []string{"crmcore/intake", "crmcore/mailbox", "crmcore/seed", "crmcore/stale", "crmcore/docs"}),
	"crmcore/stale": join(above[1:], []string{"crmcore/intake", "crmcore/mailbox", "crmcore/seed", "crmcore/rates", "crmcore/docs"}),
	"crmcore/docs":  join(above[1:], []string{"crmcore/intake", "crmcore/mailbox", "crmcore/seed", "crmcore/rates", "crmcore/stale"}),
	// ClickHouse, and the change stream that fills it.
	"olap":                    {"crmcore/", "ingest/", "reports/", "dashboards/", "cmd/voronka", "github.com/jackc/pgx/v5/"},
	"ingest":                  {"crmcore/", "reports/", "dashboards/", "cmd/voronka", "ingest/internal/logrepl/logrepltest"},
	"ingest/internal/logrepl": {"crmcore/", "olap", "reports/", "dashboards/", "cmd/voronka", "github.com/ClickHouse/clickhouse-go/v2", "github.com/jackc/pgx/v5/"},
	// Reports: the model at the bottom, each part above the ones it uses.
	"reports":          join([]string{"crmcore/", "olap", "ingest/", "dashboards/", "cmd/voronka", "reports/dataset"}, reportsRest, stores),
	"reports/dataset":  join([]string{"crmcore/", "ingest/", "dashboards/", "cmd/voronka"}, reportsRest, []string{"github.com/jackc/pgx/v5/"}),
	"reports/compile":  join([]string{"crmcore/", "ingest/", "dashboards/", "cmd/voronka"}, reportsRest[1:], []string{"github.com/jackc/pgx/v5/"}),
	"reports/kinds":    join([]string{"crmcore/", "ingest/", "dashboards/", "cmd/voronka"}, reportsRest[2:], []string{"github.com/jackc/pgx/v5/"}),
	"reports/engine":   join([]string{"crmcore/", "ingest/", "dashboards/", "cmd/voronka"}, reportsRest[3:], []string{"github.com/jackc/pgx/v5/"}),
	"reports/saved":    join([]string{"crmcore/", "ingest/", "dashboards/", "cmd/voronka", "reports/engine"}, reportsRest[4:]),
	"reports/xlsx":     join([]string{"crmcore/", "ingest/", "dashboards/", "cmd/voronka", "olap", "reports/dataset"}, reportsRest[:5], stores),
	"reports/schedule": {"crmcore/", "ingest/", "dashboards/", "cmd/voronka"},
	// HTTP: dashboards → {api, pages} → server.
	"dashboards/server": {"dashboards", "dashboards/api", "dashboards/pages", "cmd/voronka", "ingest/"},
	"dashboards/api":    {"dashboards", "dashboards/pages", "cmd/voronka", "ingest/"},
	"dashboards/pages":  {"dashboards", "dashboards/api", "cmd/voronka", "ingest/"},
	"dashboards":        {"cmd/voronka", "ingest/"},
	// The binary links everything but what only tests may.
	"cmd/voronka": testSupport,
	// Test support and benchmarks may use the whole project.
	"internal/testenv":                    httpLayer,
	"internal/chdb":                       join(httpLayer, []string{"ingest/", "reports/"}),
	"reports/reportstest":                 httpLayer,
	"reports/compile/compiletest":         join(above, stores),
	"crmcore/mailbox/mailboxtest":         join(httpLayer, []string{"reports/", "olap", "ingest/"}),
	"ingest/internal/logrepl/logrepltest": join(httpLayer, []string{"reports/", "olap", "crmcore/"}),
	"dashboards/dashtest":                 {"cmd/voronka"},
	"bench":                               nil,
	"internal/archtest":                   nil,
}

// maxFiles is how many non-test files a package may hold: past it, split
// the package along its seams.
const maxFiles = 40

// pkg is one package as go list describes it.
type pkg struct {
	path  string          // below the module
	files int             // non-test files
	deps  map[string]bool // full import paths
}

func listPackages(t *testing.T) []pkg {
	t.Helper()
	// -e: a package that cannot be loaded is listed with its error
	// rather than failing the whole listing without saying which.
	out, err := exec.Command("go", "list", "-e", "-f", "{{.ImportPath}}|{{len .GoFiles}}|{{join .Deps \" \"}}|{{if .Error}}{{.Error}}{{end}}", mod+"...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	var pkgs []pkg
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		parts := strings.SplitN(line, "|", 4)
		if len(parts) < 4 {
			t.Fatalf("go list: unexpected line %q", line)
		}
		if parts[3] != "" {
			t.Errorf("go list %s: %s", parts[0], parts[3])
		}
		n, _ := strconv.Atoi(parts[1])
		p := pkg{path: strings.TrimPrefix(parts[0], mod), files: n, deps: map[string]bool{}}
		for _, d := range strings.Fields(parts[2]) {
			p.deps[d] = true
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 30 {
		t.Fatalf("go list named %d packages: not the whole module", len(pkgs))
	}
	return pkgs
}

// reaches reports whether deps hold target: a path, or a subtree "x/"
// (x itself and everything below it). A target whose first element has
// no dot is a project package, below the module (the standard library's
// internal/… is not the project's).
func reaches(deps map[string]bool, target string) bool {
	if first, _, _ := strings.Cut(target, "/"); !strings.Contains(first, ".") {
		target = mod + target
	}
	if !strings.HasSuffix(target, "/") {
		return deps[target]
	}
	root := strings.TrimSuffix(target, "/")
	for d := range deps {
		if d == root || strings.HasPrefix(d, target) {
			return true
		}
	}
	return false
}

func TestImportDirection(t *testing.T) {
	for _, p := range listPackages(t) {
		for _, bad := range never[p.path] {
			if reaches(p.deps, bad) {
				t.Errorf("%s imports %s (directly or indirectly): docs/architecture.md forbids it", p.path, bad)
			}
		}
	}
}

func TestEveryPackageHasARule(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range listPackages(t) {
		seen[p.path] = true
		if _, ok := never[p.path]; !ok {
			t.Errorf("%s: a new package; say in never (arch_test.go) and docs/architecture.md what it may not import", p.path)
		}
	}
	for path := range never {
		if !seen[path] {
			t.Errorf("never names %s, which is not a package of the module", path)
		}
	}
}

// The binary links no test helper; and every package outside the test
// helpers that links one is a test helper or a benchmark.
func TestProductionLinksNoTestSupport(t *testing.T) {
	for _, p := range listPackages(t) {
		if isTestSupport(p.path) || p.path == "bench" || p.path == "internal/archtest" {
			continue
		}
		for _, ts := range testSupport {
			if p.deps[mod+ts] {
				t.Errorf("%s links the test helper %s", p.path, ts)
			}
		}
	}
}

func isTestSupport(path string) bool {
	for _, ts := range testSupport {
		if path == ts {
			return true
		}
	}
	return false
}

func TestPackagesStaySmall(t *testing.T) {
	for _, p := range listPackages(t) {
		if p.files > maxFiles {
			t.Errorf("%s has %d non-test files, more than %d: split it along its seams", p.path, p.files, maxFiles)
		}
	}
}

// The rules can fail: reaches sees a subtree, an exact package and a
// versioned module, and not a sibling with a common prefix.
func TestReaches(t *testing.T) {
	deps := map[string]bool{mod + "reports/kinds": true, "github.com/jackc/pgx/v5/pgxpool": true, mod + "dashboardsx": true,
		"internal/abi": true}
	for _, c := range []struct {
		target string
		want   bool
	}{{"reports/", true}, {"reports/kinds", true}, {"reports/engine", false}, {"dashboards/", false},
		{"github.com/jackc/pgx/v5", false}, {"github.com/jackc/pgx/v5/", true}, {"dashboardsx", true},
		{"internal/", false}} {
		if got := reaches(deps, c.target); got != c.want {
			t.Errorf("reaches(%q) = %v, want %v", c.target, got, c.want)
		}
	}
}
