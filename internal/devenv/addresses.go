package devenv

import "fmt"

// Addresses are where the private servers listen. They depend on the
// ports alone (VORONKA_DEV_PG_PORT and VORONKA_DEV_CH_PORT, else
// DefaultPGPort and DefaultCHPort), not on the data directory, and
// working them out starts, reads and writes nothing: the production
// configuration takes its defaults from here without building an Env.
type Addresses struct {
	PGPort, CHPort int
}

// AddressesFrom reads the private servers' ports from getenv.
func AddressesFrom(getenv func(string) string) Addresses {
	return Addresses{
		PGPort: envInt(getenv, "VORONKA_DEV_PG_PORT", DefaultPGPort),
		CHPort: envInt(getenv, "VORONKA_DEV_CH_PORT", DefaultCHPort),
	}
}

// PGURL is the URL of the private PostgreSQL's database db.
func (a Addresses) PGURL(db string) string {
	return fmt.Sprintf("postgres://voronka@127.0.0.1:%d/%s?sslmode=disable", a.PGPort, db)
}

// CHAddr is the native-protocol address of the private ClickHouse.
func (a Addresses) CHAddr() string { return fmt.Sprintf("127.0.0.1:%d", a.CHPort) }
