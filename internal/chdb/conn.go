//go:build chdb

package chdb

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/column"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/ClickHouse/clickhouse-go/v2/lib/proto"
)

// Conn is clickhouse-go's driver.Conn over the chDB session. Database is
// the default database of unqualified names ("" keeps "default"). The
// methods Voronka uses are implemented; QueryFormat, InsertFormat,
// AsyncInsert and Select answer errUnsupported.
type Conn struct {
	s        *Session
	server   *proto.ServerHandshake
	Database string
}

var errUnsupported = errors.New("chdb: not supported by the test connection")

// NewConn opens the process's chDB engine and reads its version and time
// zone.
func NewConn() (*Conn, error) {
	s, err := Open()
	if err != nil {
		return nil, err
	}
	out, err := s.Query("SELECT version() || '\t' || timezone()", "TabSeparatedRaw")
	if err != nil {
		return nil, err
	}
	version, zone, _ := strings.Cut(strings.TrimSpace(string(out)), "\t")
	tz, err := time.LoadLocation(zone)
	if err != nil {
		return nil, fmt.Errorf("chdb time zone %q: %w", zone, err)
	}
	return &Conn{s: s, server: &proto.ServerHandshake{Name: "chDB", DisplayName: "chDB " + version,
		Version: proto.ParseVersion(version), Timezone: tz}}, nil
}

// WithDatabase is a Conn on the same engine whose unqualified names
// resolve in database (as a native connection opened with that database).
func (c *Conn) WithDatabase(database string) driver.Conn {
	return &Conn{s: c.s, server: c.server, Database: database}
}

// run binds args into query and runs it in format in c's database.
func (c *Conn) run(ctx context.Context, format, query string, args ...any) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sql, err := Bind(c.server.Timezone, query, args...)
	if err != nil {
		return nil, err
	}
	return c.s.QueryIn(c.Database, sql, format)
}

// Exec runs a statement that returns no rows.
func (c *Conn) Exec(ctx context.Context, query string, args ...any) error {
	_, err := c.run(ctx, "Native", query, args...)
	return err
}

// Query runs a SELECT; its result (and WITH TOTALS row) is decoded by
// clickhouse-go's Native block decoder.
func (c *Conn) Query(ctx context.Context, query string, args ...any) (driver.Rows, error) {
	out, err := c.run(ctx, "Native", query, args...)
	if err != nil {
		return nil, err
	}
	blocks, err := c.decode(out)
	if err != nil {
		return nil, err
	}
	if len(blocks) == 0 { // chDB writes no header for an empty result
		if blocks, err = c.header(ctx, query, args...); err != nil {
			return nil, err
		}
	}
	r := &rows{blocks: blocks}
	if withTotalsRE.MatchString(query) {
		if r.totals, err = c.totals(ctx, blocks, query, args...); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// QueryRow is Query's first row; no row makes Scan fail with
// sql.ErrNoRows, as the driver does.
func (c *Conn) QueryRow(ctx context.Context, query string, args ...any) driver.Row {
	rs, err := c.Query(ctx, query, args...)
	if err != nil {
		return &row{err: err}
	}
	return &row{rows: rs.(*rows)}
}

// context returns the block-decoding context: the engine's version and
// time zone.
func (c *Conn) context() *column.ServerContext {
	v := c.server.Version
	return &column.ServerContext{VersionMajor: v.Major, VersionMinor: v.Minor, VersionPatch: v.Patch,
		Timezone: c.server.Timezone}
}

// ServerVersion is the engine's version, as the native handshake gives it.
func (c *Conn) ServerVersion() (*driver.ServerVersion, error) { return c.server, nil }

// Ping runs SELECT 1.
func (c *Conn) Ping(ctx context.Context) error { return c.Exec(ctx, "SELECT 1") }

// Close leaves the process's engine running (other Conns share it).
func (c *Conn) Close() error { return nil }

// Stats has no pool to report.
func (c *Conn) Stats() driver.Stats { return driver.Stats{} }

// Contributors is empty.
func (c *Conn) Contributors() []string { return nil }

// Select is not used by Voronka.
func (c *Conn) Select(context.Context, any, string, ...any) error { return errUnsupported }

// QueryFormat is HTTP-only in clickhouse-go.
func (c *Conn) QueryFormat(context.Context, string, string, ...any) (io.ReadCloser, error) {
	return nil, errUnsupported
}

// InsertFormat is HTTP-only in clickhouse-go.
func (c *Conn) InsertFormat(context.Context, string, string, io.Reader) error { return errUnsupported }

// AsyncInsert is deprecated in clickhouse-go and not used by Voronka.
func (c *Conn) AsyncInsert(context.Context, string, bool, ...any) error { return errUnsupported }

var withTotalsRE = regexp.MustCompile(`(?i)\bWITH\s+TOTALS\b`)

// header is an empty block with the result columns of query, which
// ClickHouse describes with DESCRIBE TABLE (query).
func (c *Conn) header(ctx context.Context, query string, args ...any) ([]*proto.Block, error) {
	rs, err := c.Query(ctx, "DESCRIBE TABLE ("+query+")", args...)
	if err != nil {
		return nil, fmt.Errorf("chdb: describe empty result: %w", err)
	}
	b := &proto.Block{ServerContext: c.context()}
	for rs.Next() {
		var name, typ, defaultType, defaultExpr, comment, codec, ttl string
		if err := rs.Scan(&name, &typ, &defaultType, &defaultExpr, &comment, &codec, &ttl); err != nil {
			return nil, err
		}
		if err := b.AddColumn(name, column.Type(typ)); err != nil {
			return nil, err
		}
	}
	return []*proto.Block{b}, nil
}
