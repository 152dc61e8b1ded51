-- The stream's covered instant to the millisecond: covered_at is a
-- DateTime (whole seconds; 18.16 has no DateTime64), which put an answer's
-- data_as_of up to a second behind what the copy really held — half the
-- default staleness bound. covered_ms (milliseconds since the epoch) is
-- what olap.Watermarks reads; rows written before it default to
-- covered_at's second.
ALTER TABLE ingest_watermarks ADD COLUMN covered_ms UInt64 DEFAULT toUInt64(covered_at) * 1000
