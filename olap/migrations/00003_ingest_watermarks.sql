-- How far the copy reaches: written by ingest after each batch ClickHouse
-- acknowledged (and after the initial load), read by the report engine to
-- know whether a cached answer still holds (olap.Watermarks).
--
-- One row per mirrored or derived table: version = the commit LSN of the
-- last change applied to it. The row with table_name '' is the stream as a
-- whole: every transaction committed before covered_at (in PostgreSQL's
-- clock) is in ClickHouse; version is the position that covers it. Rows
-- are replaced by a higher _version (the LSN, or the server's WAL end
-- while idle), so a replayed batch changes nothing; _deleted is always 0
-- (read like every table of the copy).
CREATE TABLE IF NOT EXISTS ingest_watermarks (
    table_name String,
    version    UInt64,
    covered_at DateTime('UTC'),
    _version   UInt64,
    _deleted   UInt8
) ENGINE = ReplacingMergeTree(_version) ORDER BY table_name;
