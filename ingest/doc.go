// Package ingest streams changes from PostgreSQL into ClickHouse over
// logical replication: a publication of the mirrored tables, a pgoutput
// slot whose exported snapshot seeds the initial copy, the replication
// protocol spoken on pgx/v5/pgconn (its wire format and the pgoutput
// decoder are the pure package internal/logrepl), batching that collapses
// changes per row, and checkpoints that confirm a position to PostgreSQL
// only after ClickHouse acknowledged everything before it. Schema changes
// in PostgreSQL are followed (columns added with their defaults, dropped,
// widened in place); a table whose change ClickHouse cannot follow is
// rebuilt from a snapshot of its own while the other tables stream on.
// New builds a Streamer, Run runs it; Status, Healthy and Register expose
// its state. docs/ingest.md describes the design and the slot's WAL risk.
package ingest
