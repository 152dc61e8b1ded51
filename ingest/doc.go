// Package ingest streams changes from PostgreSQL into ClickHouse over
// logical replication: a publication of the mirrored tables, a pgoutput
// slot whose exported snapshot seeds the initial copy, the replication
// protocol spoken on pgx/v5/pgconn (its wire format and the pgoutput
// decoder are the pure package internal/logrepl), batching that collapses
// changes per row, and checkpoints that confirm a position to PostgreSQL
// only after ClickHouse acknowledged everything before it.
// New builds a Streamer, Run runs it; Status, Healthy and Register expose
// its state. docs/ingest.md describes the design and the slot's WAL risk.
package ingest
