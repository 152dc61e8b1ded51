package engine

import (
	"context"
	"testing"
	"time"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/testenv"
)

// kxStores is a CRM database and its ClickHouse copy for the report kinds'
// tests, with an engine over both.
type kxStores struct {
	pg  *testenv.PG
	ch  *testenv.CH
	eng *Engine
}

// kxSetup runs fixture SQL on a fresh CRM database, copies every
// mirrored table into a fresh ClickHouse database, and returns an engine
// whose clock reads now.
func kxSetup(t *testing.T, fixture string, now time.Time) *kxStores {
	t.Helper()
	pg := testenv.NewPG(t)
	if fixture != "" {
		if _, err := pg.Pool.Exec(context.Background(), fixture); err != nil {
			t.Fatalf("fixture: %v", err)
		}
	}
	ch := testenv.NewCH(t)
	kxCopy(t, pg, ch, nil)
	return &kxStores{pg: pg, ch: ch, eng: &Engine{CH: ch.DB, Now: func() time.Time { return now }}}
}

// kxCopy copies every mirrored table's rows from PostgreSQL into
// ClickHouse at _version 1, the way a finished snapshot leaves them.
// where, when not nil, maps a table to a WHERE condition (over alias x)
// restricting the rows copied.
func kxCopy(t *testing.T, pg *testenv.PG, ch *testenv.CH, where map[string]string) {
	t.Helper()
	testenv.Mirror(t, pg, ch, testenv.Copy{Where: where})
}

// kxDirector and friends are the principals of the hand-built fixture.
var (
	kxDirector = domain.Principal{UserID: 100, Role: domain.RoleDirector}
	kxM1       = domain.Principal{UserID: 101, Role: domain.RoleManager}
	kxM2       = domain.Principal{UserID: 102, Role: domain.RoleManager}
)
