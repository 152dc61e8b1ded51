//go:build chdb

package chdb

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	chproto "github.com/ClickHouse/ch-go/proto"
	"github.com/ClickHouse/clickhouse-go/v2/lib/column"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/ClickHouse/clickhouse-go/v2/lib/proto"
)

// insertRE is the INSERT text batches accept: a table and its column list.
var insertRE = regexp.MustCompile(`^(?is)\s*INSERT\s+INTO\s+(?:([A-Za-z_][A-Za-z0-9_]*)\.)?([A-Za-z_][A-Za-z0-9_]*)\s*\(([^)]*)\)\s*(?:VALUES\s*)?$`)

// PrepareBatch starts an INSERT with an explicit column list: rows go
// through clickhouse-go's column encoders (Append converts Go values as
// the driver does, and refuses what it refuses) and Send inserts the
// block in the Native format.
func (c *Conn) PrepareBatch(ctx context.Context, query string, _ ...driver.PrepareBatchOption) (driver.Batch, error) {
	m := insertRE.FindStringSubmatch(query)
	if m == nil {
		return nil, fmt.Errorf("chdb: batch needs INSERT INTO [db.]table (columns): %q", query)
	}
	database := m[1]
	if database == "" {
		database = c.Database
	}
	if database == "" {
		database = "default"
	}
	types, err := c.columnTypes(ctx, database, m[2])
	if err != nil {
		return nil, err
	}
	cols := splitColumns(m[3])
	b := &batch{conn: c, block: &proto.Block{ServerContext: c.context()},
		target: "INSERT INTO " + database + "." + m[2] + " (" + strings.Join(cols, ", ") + ")"}
	for _, name := range cols {
		t, ok := types[name]
		if !ok {
			return nil, fmt.Errorf("chdb: no column %s in %s.%s", name, database, m[2])
		}
		if err := b.block.AddColumn(name, column.Type(t)); err != nil {
			return nil, err
		}
	}
	return b, nil
}

func (c *Conn) columnTypes(ctx context.Context, database, table string) (map[string]string, error) {
	rs, err := c.Query(ctx, "SELECT name, type FROM system.columns WHERE database = ? AND table = ?", database, table)
	if err != nil {
		return nil, err
	}
	types := map[string]string{}
	for rs.Next() {
		var name, typ string
		if err := rs.Scan(&name, &typ); err != nil {
			return nil, err
		}
		types[name] = typ
	}
	if len(types) == 0 {
		return nil, fmt.Errorf("chdb: table %s.%s does not exist", database, table)
	}
	return types, nil
}

var identListRE = regexp.MustCompile("[A-Za-z_][A-Za-z0-9_]*")

func splitColumns(list string) []string { return identListRE.FindAllString(list, -1) }

// batch buffers rows in a clickhouse-go block until Send.
type batch struct {
	driver.Batch // Column and AppendStruct are not used by Voronka
	conn         *Conn
	target       string // INSERT INTO db.table (columns)
	block        *proto.Block
	sent         bool
}

// Append adds one row, converted by the driver's column types.
func (b *batch) Append(v ...any) error {
	if b.sent {
		return errors.New("chdb: batch already sent")
	}
	return b.block.Append(v...)
}

// Send inserts the rows as one Native block.
func (b *batch) Send() error {
	if b.sent {
		return errors.New("chdb: batch already sent")
	}
	b.sent = true
	if b.block.Rows() == 0 {
		return nil
	}
	var buf chproto.Buffer
	if err := b.block.Encode(&buf, 0); err != nil {
		return err
	}
	// Inline data after FORMAT would lose a leading whitespace byte (the
	// column count 9 or 10); the format table function reads the block
	// from a string literal instead.
	q := b.target + " SELECT * FROM format(Native, " + Quote(string(buf.Buf)) + ")"
	_, err := b.conn.s.QueryIn(b.conn.Database, q, "Native")
	return err
}

// Abort drops the rows.
func (b *batch) Abort() error { b.sent = true; return nil }

// Close drops the rows unless sent.
func (b *batch) Close() error { return b.Abort() }

// Flush is a no-op: Send inserts everything at once.
func (b *batch) Flush() error { return nil }

// IsSent reports whether Send, Abort or Close ran.
func (b *batch) IsSent() bool { return b.sent }

// Rows is the number of rows appended.
func (b *batch) Rows() int { return b.block.Rows() }

// Columns are the batch's columns.
func (b *batch) Columns() []column.Interface { return b.block.Columns }
