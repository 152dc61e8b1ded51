package ingest

import (
	"strings"
	"testing"
)

// TestUserExtensionStreams: a user's extension (crmcore migration 00013,
// olap 00012) reaches the copy, set and removed.
func TestUserExtensionStreams(t *testing.T) {
	e := newEnv(t)
	e.seed(1)
	e.start(e.config())
	e.waitSynced(syncTimeout, "users")
	e.exec(`UPDATE users SET extension = '101'`)
	e.exec(`INSERT INTO users (email, name, role, password_hash, extension) VALUES ('b@x.ru', 'Борис', 'manager', 'secret', 'boris.sip')`)
	e.waitSynced(syncTimeout, "users")
	if got := strings.Join(e.chStrings(`SELECT ifNull(extension, '-') FROM `+e.ch.Database+`.users FINAL WHERE _deleted = 0 ORDER BY id`), ","); got != "101,boris.sip" {
		t.Fatalf("extensions in ClickHouse: %s", got)
	}
	e.exec(`UPDATE users SET extension = NULL WHERE email = 'a@x.ru'`)
	e.waitSynced(syncTimeout, "users")
}
