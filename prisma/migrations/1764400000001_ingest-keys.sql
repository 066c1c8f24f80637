-- Up Migration

-- Keys that feeds (a platform's exporter, Telegraf, a replay) write measured samples with
-- (issue 11). Only the SHA-256 of a key is stored: a database dump opens no write path. A key
-- may be limited to some operators (empty: every operator). `created_by` copies the account's
-- name, as the audit log does, so it still says who made the key after the account is removed.
CREATE TABLE ingest_key (
  id            serial PRIMARY KEY,
  label         text NOT NULL,
  key_hash      text NOT NULL UNIQUE,
  operators     text[] NOT NULL DEFAULT '{}',
  created_by    text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  revoked_at    timestamptz,
  -- Written at most once a minute per key, so a busy feed does not write a row per batch.
  last_used_at  timestamptz
);

-- Down Migration
DROP TABLE ingest_key;
