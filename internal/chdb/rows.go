//go:build chdb

package chdb

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strings"

	chproto "github.com/ClickHouse/ch-go/proto"
	"github.com/ClickHouse/clickhouse-go/v2/lib/column"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/ClickHouse/clickhouse-go/v2/lib/proto"
)

// decode reads every Native block of out with clickhouse-go's decoder.
func (c *Conn) decode(out []byte) ([]*proto.Block, error) {
	// ch-go's Reader reads ahead through a bufio.Reader of this size; it
	// reuses ours, whose Peek says whether another block follows.
	in := bufio.NewReaderSize(bytes.NewReader(out), 128*1024)
	r := chproto.NewReader(in)
	var blocks []*proto.Block
	for {
		if _, err := in.Peek(1); err != nil {
			break
		}
		b := &proto.Block{ServerContext: c.context()}
		if err := b.Decode(r, 0); err != nil {
			return nil, fmt.Errorf("chdb: decode native block: %w", err)
		}
		blocks = append(blocks, b)
	}
	return blocks, nil
}

// totals reads the WITH TOTALS row, which the Native format leaves out:
// the query runs again in JSONCompact and ClickHouse itself parses the
// totals row back into the data's column types (format table function),
// so it decodes like the data.
func (c *Conn) totals(ctx context.Context, data []*proto.Block, query string, args ...any) (*proto.Block, error) {
	if len(data) == 0 {
		return nil, nil
	}
	out, err := c.run(ctx, "JSONCompact", query, args...)
	if err != nil {
		return nil, err
	}
	// chDB 26.5 may emit an empty result's JSON pieces out of order, so
	// the totals value is read where its key is rather than by parsing
	// the whole document.
	at := bytes.Index(out, []byte(`"totals":`))
	if at < 0 {
		return nil, nil
	}
	var totals json.RawMessage
	if err := json.NewDecoder(bytes.NewReader(out[at+len(`"totals":`):])).Decode(&totals); err != nil {
		return nil, fmt.Errorf("chdb: totals: %w", err)
	}
	var structure []string
	for i, col := range data[0].Columns {
		structure = append(structure, fmt.Sprintf("c%d %s", i, col.Type()))
	}
	q := "SELECT * FROM format(JSONCompactEachRow, " + Quote(strings.Join(structure, ", ")) + ", " + Quote(string(totals)) + ")"
	raw, err := c.s.QueryIn(c.Database, q, "Native")
	if err != nil {
		return nil, fmt.Errorf("chdb: totals: %w", err)
	}
	blocks, err := c.decode(raw)
	if err != nil || len(blocks) == 0 {
		return nil, fmt.Errorf("chdb: totals: %d blocks, %v", len(blocks), err)
	}
	return blocks[0], nil
}

// rows walks the decoded blocks as clickhouse-go's rows do.
type rows struct {
	blocks []*proto.Block
	totals *proto.Block
	block  int
	row    int // 1-based row in blocks[block] after Next
	err    error
}

// Next moves to the next row of any block.
func (r *rows) Next() bool {
	for r.block < len(r.blocks) {
		if r.row < r.blocks[r.block].Rows() {
			r.row++
			return true
		}
		r.block, r.row = r.block+1, 0
	}
	return false
}

// Scan reads the current row with the columns' own ScanRow.
func (r *rows) Scan(dest ...any) error {
	if r.block >= len(r.blocks) || r.row == 0 {
		return io.EOF
	}
	return scanBlock(r.blocks[r.block], r.row-1, dest)
}

func scanBlock(b *proto.Block, row int, dest []any) error {
	if len(b.Columns) != len(dest) {
		return fmt.Errorf("chdb: expected %d destination arguments in Scan, not %d", len(b.Columns), len(dest))
	}
	for i, d := range dest {
		if err := b.Columns[i].ScanRow(d, row); err != nil {
			return fmt.Errorf("chdb: scan column %s: %w", b.Columns[i].Name(), err)
		}
	}
	return nil
}

// ScanStruct is not used by Voronka.
func (r *rows) ScanStruct(any) error { return errUnsupported }

// Totals scans the WITH TOTALS row; sql.ErrNoRows when there is none.
func (r *rows) Totals(dest ...any) error {
	if r.totals == nil || r.totals.Rows() == 0 {
		return sql.ErrNoRows
	}
	return scanBlock(r.totals, 0, dest)
}

// ColumnTypes describes the result columns as the driver does.
func (r *rows) ColumnTypes() []driver.ColumnType {
	if len(r.blocks) == 0 {
		return nil
	}
	var out []driver.ColumnType
	for _, c := range r.blocks[0].Columns {
		_, nullable := c.(*column.Nullable)
		out = append(out, &columnType{name: c.Name(), chType: string(c.Type()), nullable: nullable, scan: c.ScanType()})
	}
	return out
}

// Columns names the result columns.
func (r *rows) Columns() []string {
	if len(r.blocks) == 0 {
		return nil
	}
	return r.blocks[0].ColumnsNames()
}

// Close releases nothing: the result is in memory.
func (r *rows) Close() error { return nil }

// Err is nil: errors surface from Query.
func (r *rows) Err() error { return r.err }

// HasData reports whether a row is left.
func (r *rows) HasData() bool {
	for i := r.block; i < len(r.blocks); i++ {
		start := 0
		if i == r.block {
			start = r.row
		}
		if start < r.blocks[i].Rows() {
			return true
		}
	}
	return false
}

type columnType struct {
	name, chType string
	nullable     bool
	scan         reflect.Type
}

func (c *columnType) Name() string             { return c.name }
func (c *columnType) Nullable() bool           { return c.nullable }
func (c *columnType) ScanType() reflect.Type   { return c.scan }
func (c *columnType) DatabaseTypeName() string { return c.chType }

// row is QueryRow's answer.
type row struct {
	rows *rows
	err  error
}

func (r *row) Err() error { return r.err }

// Scan reads the first row, sql.ErrNoRows when there is none.
func (r *row) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	if !r.rows.Next() {
		return sql.ErrNoRows
	}
	return r.rows.Scan(dest...)
}

func (r *row) ScanStruct(any) error { return errUnsupported }
