// Package chdb runs SQL on the ClickHouse engine embedded in chDB
// (libchdb.so from the npm package @chdb/lib-linux-x64-gnu, fetched by
// `make chdb`), so the conformance suite can prove every statement Voronka
// produces on a current ClickHouse (26.x) as well as on the 18.16 dev
// server. It is test-only: the code sits behind the build tag `chdb`
// (cgo, linked against var/chdb/libchdb.so) and production never links it.
//
// Conn implements clickhouse-go's driver.Conn over one in-process chDB
// session, so olap.DB, the report engine and ingest run unchanged on it:
// `?` arguments are rendered as literals the way clickhouse-go's
// client-side binding renders them (Bind), results are read in the Native
// format and decoded by clickhouse-go's own block decoder (so Scan,
// ColumnTypes and ScanType behave as with the real driver), and batches
// are encoded by clickhouse-go's own column encoders and inserted as
// `INSERT … FORMAT Native`.
package chdb
