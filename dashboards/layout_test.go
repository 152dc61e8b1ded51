package dashboards_test

import (
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

const dash = "github.com/voronka/voronka/dashboards"

// forbidden lists, per dashboards package, the dashboards packages it
// must never reach, directly or through others: dashboards → {api, pages}
// → server; api and pages know nothing of each other; only tests use
// dashtest.
var forbidden = map[string][]string{
	"":          {"/dashtest"},
	"/api":      {"", "/pages", "/dashtest"},
	"/pages":    {"", "/api", "/dashtest"},
	"/server":   {"", "/api", "/pages", "/dashtest"},
	"/dashtest": nil,
}

// maxFiles is how many non-test files a package may hold.
const maxFiles = 40

// TestLayout: the import direction above, and no package past maxFiles.
func TestLayout(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}|{{len .GoFiles}}|{{join .Deps \" \"}}", dash+"/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	seen := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		parts := strings.SplitN(line, "|", 3)
		pkg := strings.TrimPrefix(parts[0], dash)
		bad, known := forbidden[pkg]
		if !known {
			t.Errorf("%s: a new dashboards package; say in forbidden what it may import", parts[0])
		}
		seen++
		if n, _ := strconv.Atoi(parts[1]); n > maxFiles {
			t.Errorf("%s has %d non-test files, more than %d: split it", parts[0], n, maxFiles)
		}
		deps := map[string]bool{}
		for _, d := range strings.Fields(parts[2]) {
			deps[d] = true
		}
		for _, b := range bad {
			if deps[dash+b] {
				t.Errorf("%s imports %s (directly or indirectly)", parts[0], dash+b)
			}
		}
	}
	if seen != len(forbidden) {
		t.Errorf("go list named %d dashboards packages, forbidden knows %d", seen, len(forbidden))
	}
}
