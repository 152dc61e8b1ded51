package engine

import (
	"context"
	"os"
	"sync"
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
func kxSetup(t testing.TB, fixture string, now time.Time) *kxStores {
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
func kxCopy(t testing.TB, pg *testenv.PG, ch *testenv.CH, where map[string]string) {
	t.Helper()
	testenv.Mirror(t, pg, ch, testenv.Copy{Where: where})
}

// kxReadOnly is kxSetup for a test that only reads the stores (its
// engine is its own, with its clock): the first test that asks for a
// fixture makes the pair, the others with the same fixture share it, and
// TestMain drops them at the package's end. On the cluster each fresh
// pair costs seconds of distributed DDL, which the suite paid once per
// test. A test that writes to either store takes kxSetup.
func kxReadOnly(t *testing.T, fixture string, now time.Time) *kxStores {
	t.Helper()
	kxShared.Lock()
	defer kxShared.Unlock()
	s := kxShared.stores[fixture]
	if s == nil {
		s = kxSetup(packageTB{t}, fixture, now)
		kxShared.stores[fixture] = s
	}
	return &kxStores{pg: s.pg, ch: s.ch, eng: &Engine{CH: s.ch.DB, Now: func() time.Time { return now }}}
}

// kxShared are kxReadOnly's stores by fixture and their cleanups.
var kxShared = struct {
	sync.Mutex
	stores   map[string]*kxStores
	cleanups []func()
}{stores: map[string]*kxStores{}}

// packageTB is the test that makes a shared pair, but its cleanups wait
// for the package's end (TestMain); called under kxShared's lock.
type packageTB struct{ testing.TB }

func (packageTB) Cleanup(f func()) { kxShared.cleanups = append(kxShared.cleanups, f) }

// TestMain runs the package's tests, then drops kxReadOnly's stores.
func TestMain(m *testing.M) {
	code := m.Run()
	for i := len(kxShared.cleanups) - 1; i >= 0; i-- {
		kxShared.cleanups[i]()
	}
	os.Exit(code)
}

// kxDirector and friends are the principals of the hand-built fixture.
var (
	kxDirector = domain.Principal{UserID: 100, Role: domain.RoleDirector}
	kxM1       = domain.Principal{UserID: 101, Role: domain.RoleManager}
	kxM2       = domain.Principal{UserID: 102, Role: domain.RoleManager}
)
