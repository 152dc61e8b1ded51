-- A deal's expected close date (crmcore migration 00009, issue 17): a
-- calendar date, NULL when not set, in the mirror where PostgreSQL has it
-- (after closed_at, PostgreSQL's column before it) and in deal_facts,
-- which repeats the deals columns (olap.dealColumns). No date existed
-- before, so rows already there rightly read NULL. Run with `voronka
-- migrate` (PostgreSQL, then this at once): a stream of an older version
-- left running would add the column itself, at the end.
ALTER TABLE deals ADD COLUMN expected_close_at Nullable(Date) AFTER closed_at;

ALTER TABLE deal_facts ADD COLUMN expected_close_at Nullable(Date) AFTER closed_at;
