-- Up Migration

-- Read-only access for wall screens, scoped to one playlist. Only a hash of the token is kept;
-- the token itself is shown once, when it is created. It never expires; revoking ends it.
CREATE TABLE display_token (
  id          serial PRIMARY KEY,
  playlist_id integer NOT NULL REFERENCES playlist (id) ON DELETE CASCADE,
  label       text NOT NULL,
  token_hash  text NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);
CREATE INDEX display_token_playlist_id_idx ON display_token (playlist_id);

-- The fleet: one row per screen, refreshed by its heartbeat.
CREATE TABLE display (
  id             text PRIMARY KEY,
  playlist_slug  text,
  view_title     text,
  view_index     integer,
  build_id       text,
  js_heap_bytes  double precision,
  fps            double precision,
  user_agent     text,
  token_id       integer REFERENCES display_token (id) ON DELETE SET NULL,
  first_seen_at  timestamptz NOT NULL DEFAULT now(),
  last_seen_at   timestamptz NOT NULL DEFAULT now()
);
-- The fleet view lists screens by how recently they were heard from.
CREATE INDEX display_last_seen_at_idx ON display (last_seen_at DESC);

-- Down Migration
DROP TABLE display;
DROP TABLE display_token;
