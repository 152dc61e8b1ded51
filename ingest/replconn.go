package ingest

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/voronka/voronka/ingest/internal/logrepl"
)

// replConn is a PostgreSQL connection in logical replication mode
// (startup parameter replication=database): it accepts the replication
// commands of the simple query protocol and, after START_REPLICATION,
// carries the copy-both stream. One goroutine uses it at a time.
type replConn struct {
	pg *pgconn.PgConn
}

// sessionParams fix how the server prints values, so the text decoder
// sees one format whatever the server's defaults are.
var sessionParams = map[string]string{
	"TimeZone":           "UTC",
	"DateStyle":          "ISO, MDY",
	"IntervalStyle":      "postgres",
	"extra_float_digits": "3",
	"bytea_output":       "hex",
}

func dialRepl(ctx context.Context, url string) (*replConn, error) {
	cfg, err := pgconn.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse postgres url: %w", err)
	}
	for k, v := range sessionParams {
		cfg.RuntimeParams[k] = v
	}
	cfg.RuntimeParams["replication"] = "database"
	cfg.RuntimeParams["application_name"] = "voronka-ingest"
	pg, err := pgconn.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect for replication: %w", err)
	}
	return &replConn{pg: pg}, nil
}

func (c *replConn) Close() { _ = c.pg.Close(context.Background()) }

// command runs one replication command and returns its single result row
// (text columns), or nil when it returns none.
func (c *replConn) command(ctx context.Context, sql string) ([]string, error) {
	res, err := c.pg.Exec(ctx, sql).ReadAll()
	if err != nil {
		return nil, err
	}
	for _, r := range res {
		if r.Err != nil {
			return nil, r.Err
		}
		if len(r.Rows) > 0 {
			row := make([]string, len(r.Rows[0]))
			for i, v := range r.Rows[0] {
				row[i] = string(v)
			}
			return row, nil
		}
	}
	return nil, nil
}

// systemInfo is the answer to IDENTIFY_SYSTEM.
type systemInfo struct {
	SystemID string
	Timeline int
	XLogPos  logrepl.LSN
	Database string
}

func (c *replConn) identifySystem(ctx context.Context) (systemInfo, error) {
	row, err := c.command(ctx, "IDENTIFY_SYSTEM")
	if err != nil || len(row) < 4 {
		return systemInfo{}, fmt.Errorf("IDENTIFY_SYSTEM: %v (%d columns)", err, len(row))
	}
	var s systemInfo
	s.SystemID, s.Database = row[0], row[3]
	fmt.Sscan(row[1], &s.Timeline)
	s.XLogPos, err = logrepl.ParseLSN(row[2])
	return s, err
}

// createdSlot is the answer to CREATE_REPLICATION_SLOT.
type createdSlot struct {
	ConsistentPoint logrepl.LSN
	Snapshot        string
}

// createSlot creates a pgoutput logical slot and exports its snapshot,
// which stays importable until this connection runs another command.
func (c *replConn) createSlot(ctx context.Context, slot string) (createdSlot, error) {
	q := fmt.Sprintf("CREATE_REPLICATION_SLOT %s LOGICAL pgoutput (SNAPSHOT 'export')", quoteIdent(slot))
	row, err := c.command(ctx, q)
	if err != nil || len(row) < 3 {
		return createdSlot{}, fmt.Errorf("create replication slot %s: %v", slot, err)
	}
	lsn, err := logrepl.ParseLSN(row[1])
	return createdSlot{ConsistentPoint: lsn, Snapshot: row[2]}, err
}

// createTempSlot creates a temporary pgoutput slot (dropped when this
// connection closes) for the snapshot it exports: what a rebuild of one
// table copies.
func (c *replConn) createTempSlot(ctx context.Context, slot string) (createdSlot, error) {
	q := fmt.Sprintf("CREATE_REPLICATION_SLOT %s TEMPORARY LOGICAL pgoutput (SNAPSHOT 'export')", quoteIdent(slot))
	row, err := c.command(ctx, q)
	if err != nil || len(row) < 3 {
		return createdSlot{}, fmt.Errorf("create temporary replication slot %s: %v", slot, err)
	}
	lsn, err := logrepl.ParseLSN(row[1])
	return createdSlot{ConsistentPoint: lsn, Snapshot: row[2]}, err
}

// startReplication switches the connection to the copy-both stream of the
// slot from position from, publishing pub with pgoutput protocol 1.
func (c *replConn) startReplication(ctx context.Context, slot, pub string, from logrepl.LSN) error {
	q := fmt.Sprintf("START_REPLICATION SLOT %s LOGICAL %s (proto_version '1', publication_names %s)",
		quoteIdent(slot), from, quoteLiteral(quoteIdent(pub)))
	fe := c.pg.Frontend()
	fe.Send(&pgproto3.Query{String: q})
	if err := fe.Flush(); err != nil {
		return fmt.Errorf("send START_REPLICATION: %w", err)
	}
	for {
		msg, err := c.pg.ReceiveMessage(ctx)
		if err != nil {
			return fmt.Errorf("START_REPLICATION: %w", err)
		}
		switch m := msg.(type) {
		case *pgproto3.CopyBothResponse:
			return nil
		case *pgproto3.ErrorResponse:
			return fmt.Errorf("START_REPLICATION: %w", pgconn.ErrorResponseToPgError(m))
		}
	}
}

// errIdle is returned by receive when the deadline passed with no message.
var errIdle = errors.New("no replication message before the deadline")

// receive waits until deadline for the next CopyData payload of the
// stream. The payload is only valid until the next call.
func (c *replConn) receive(ctx context.Context, deadline time.Time) ([]byte, error) {
	rctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	msg, err := c.pg.ReceiveMessage(rctx)
	if err != nil {
		if pgconn.Timeout(err) && ctx.Err() == nil {
			return nil, errIdle
		}
		return nil, err
	}
	switch m := msg.(type) {
	case *pgproto3.CopyData:
		return m.Data, nil
	case *pgproto3.ErrorResponse:
		return nil, pgconn.ErrorResponseToPgError(m)
	case *pgproto3.CopyDone:
		return nil, errors.New("server ended the replication stream")
	}
	return nil, errIdle // notices, parameter status: nothing to do
}

// sendStatus sends a standby status update confirming pos; ask requests
// an immediate keepalive (where the server stands, and its clock).
func (c *replConn) sendStatus(pos logrepl.LSN, now time.Time, ask bool) error {
	fe := c.pg.Frontend()
	fe.Send(&pgproto3.CopyData{Data: logrepl.StandbyStatus(pos, now, ask)})
	if err := fe.Flush(); err != nil {
		return fmt.Errorf("send standby status: %w", err)
	}
	return nil
}
