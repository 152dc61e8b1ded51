// Package archtest enforces which way imports point (ARCHITECTURE.md):
// cmd → dashboards → reports → {crmcore, olap}; ingest → olap;
// internal/* at the bottom. Prose alone drifts; this test does not.
package archtest

import (
	"os/exec"
	"strings"
	"testing"
)

const mod = "github.com/voronka/voronka/"

// forbidden lists, per package, the project packages it must never reach
// (directly or through others).
var forbidden = map[string][]string{
	// the shared value types are a leaf: every layer may import them
	"domain": {"crmcore", "olap", "ingest", "reports", "dashboards", "cmd/voronka", "internal/devenv", "internal/testenv",
		"github.com/jackc/pgx/v5", "github.com/ClickHouse/clickhouse-go/v2", "github.com/gofiber/fiber/v2"},
	"crmcore": {"olap", "ingest", "reports", "dashboards", "cmd/voronka", "crmcore/intake", "crmcore/mailbox",
		// the core keeps to stdlib, pgx and squirrel: mail and legacy charsets live in its subpackages
		"github.com/emersion/go-imap/v2/imapclient", "github.com/emersion/go-message", "golang.org/x/text/encoding/charmap"},
	"crmcore/intake":  {"olap", "ingest", "reports", "dashboards", "cmd/voronka"},
	"crmcore/mailbox": {"olap", "ingest", "reports", "dashboards", "cmd/voronka"},
	"olap":            {"crmcore", "ingest", "reports", "dashboards", "cmd/voronka"},
	"ingest":          {"crmcore", "reports", "dashboards", "cmd/voronka", "ingest/internal/logrepl/logrepltest"},
	"reports":         {"ingest", "dashboards", "cmd/voronka"},
	"dashboards":      {"cmd/voronka"},
	"internal/apperr": {"crmcore", "olap", "ingest", "reports", "dashboards", "internal/devenv", "internal/testenv"},
	"internal/devenv": {"crmcore", "olap", "ingest", "reports", "dashboards", "internal/testenv"},
	"internal/chdb":   {"ingest", "reports", "dashboards", "cmd/voronka"},

	// ingest's replication wire format and pgoutput decoder: pure, no connection
	"ingest/internal/logrepl": {"olap", "github.com/jackc/pgx/v5", "github.com/jackc/pgx/v5/pgconn", "github.com/ClickHouse/clickhouse-go/v2"},
}

func TestImportDirection(t *testing.T) {
	for pkg, bad := range forbidden {
		out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", mod+pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list %s: %v\n%s", pkg, err, out)
		}
		deps := map[string]bool{}
		for _, d := range strings.Fields(string(out)) {
			deps[strings.TrimPrefix(d, mod)] = true
		}
		for _, b := range bad {
			if deps[b] {
				t.Errorf("%s imports %s (directly or indirectly): forbidden by ARCHITECTURE.md", pkg, b)
			}
		}
	}
}
