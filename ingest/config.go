package ingest

import (
	"fmt"
	"log/slog"
	"time"
)

// Config is the stream's configuration; zero fields take the defaults
// below (chosen by measurement: docs/ingest.md).
type Config struct {
	// PGURL is a normal connection string to the CRM database; the
	// replication connection adds replication=database itself.
	PGURL       string
	Slot        string // logical replication slot (per cluster!): "voronka"
	Publication string // publication of the mirrored tables: "voronka"
	// BatchRows and BatchWait: a batch goes to ClickHouse when it holds
	// BatchRows changes or its first transaction committed BatchWait ago,
	// whichever comes first (only at transaction boundaries).
	BatchRows int
	BatchWait time.Duration
	// StatusInterval is how often a standby status update is sent even
	// with nothing new to confirm (keep it under wal_sender_timeout).
	StatusInterval time.Duration
	CopyWorkers    int           // connections for the initial load: 2
	CopyBatch      int           // rows per ClickHouse insert in the initial load
	RetryMin       time.Duration // first retry delay after a failure
	RetryMax       time.Duration // longest retry delay
	WALInterval    time.Duration // how often retained WAL is read
	// InsertTimeout bounds each attempt to write a batch (or a chunk of a
	// copy) to ClickHouse: a server that accepts connections but does not
	// answer fails the attempt, which is retried, and the stream reports
	// itself unhealthy. A batch unacknowledged for longer is a stall too.
	InsertTimeout time.Duration
	// SchemaInterval is how often PostgreSQL's columns are compared with
	// ClickHouse's, so a column added or dropped reaches the copy without
	// waiting for the table's next change.
	SchemaInterval time.Duration
	Logger         *slog.Logger
}

// Defaults for Config's zero fields (the batch ones are also the command
// line's defaults).
const (
	defaultSlot        = "voronka"
	defaultPublication = "voronka"
	DefaultBatchRows   = 20000
	DefaultBatchWait   = 200 * time.Millisecond
	// DefaultInsertTimeout is InsertTimeout's default.
	DefaultInsertTimeout = 10 * time.Second
)

func (c Config) withDefaults() Config {
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	defInt := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	if c.Slot == "" {
		c.Slot = defaultSlot
	}
	if c.Publication == "" {
		c.Publication = defaultPublication
	}
	defInt(&c.BatchRows, DefaultBatchRows)
	defInt(&c.CopyWorkers, 2)
	defInt(&c.CopyBatch, 50000)
	def(&c.BatchWait, DefaultBatchWait)
	def(&c.StatusInterval, 10*time.Second)
	def(&c.RetryMin, 200*time.Millisecond)
	def(&c.RetryMax, 10*time.Second)
	def(&c.WALInterval, 10*time.Second)
	def(&c.InsertTimeout, DefaultInsertTimeout)
	def(&c.SchemaInterval, 2*time.Second)
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

// validate names the setting at fault.
func (c Config) validate() error {
	c = c.withDefaults()
	switch {
	case c.PGURL == "":
		return fmt.Errorf("ingest: PostgreSQL URL is empty")
	case !validName.MatchString(c.Slot):
		return fmt.Errorf("ingest: slot %q: want lower-case letters, digits and _ (at most 63)", c.Slot)
	case !validName.MatchString(c.Publication):
		return fmt.Errorf("ingest: publication %q: want lower-case letters, digits and _", c.Publication)
	}
	return nil
}
