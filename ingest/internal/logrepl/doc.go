// Package logrepl is PostgreSQL logical replication on the wire, as
// ingest receives it: WAL positions (LSN), the CopyData frames of the
// streaming replication protocol (XLogData, keepalive, standby status
// update) and the pgoutput messages inside them (Begin, Commit,
// Relation, Insert, Update, Delete, Truncate; Origin, Type and Message
// are decoded and left to the caller to ignore). It is pure: bytes in,
// values out, no connection; ingest owns the connection and decides
// what the messages mean for ClickHouse.
package logrepl
