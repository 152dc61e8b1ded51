// Package ingest streams changes from PostgreSQL into ClickHouse over
// logical replication (pgoutput), decoded on pgx/v5/pgconn: replication
// slot and publication, initial snapshot, batching, checkpoints and lag
// metrics. It is built in issue 3; this file reserves the package.
package ingest
