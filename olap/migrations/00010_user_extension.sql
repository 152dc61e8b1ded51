-- A user's extension (SIP login) for call logs (crmcore migration 00013,
-- issue 19): NULL when not set, in the mirror where PostgreSQL has it
-- (last). No extension existed before, so rows already there rightly
-- read NULL. call_imports (the keys of imported calls) is not mirrored:
-- the calls are activities, which are.
ALTER TABLE users ADD COLUMN extension Nullable(String) AFTER updated_at;
