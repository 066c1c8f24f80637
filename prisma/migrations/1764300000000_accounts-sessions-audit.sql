-- Up Migration

-- Named people who sign in. Only an Argon2id hash of the password is kept.
CREATE TYPE account_role AS ENUM ('admin', 'operator', 'viewer');

CREATE TABLE account (
  id                    serial PRIMARY KEY,
  username              text NOT NULL UNIQUE,
  password_hash         text NOT NULL,
  role                  account_role NOT NULL,
  -- Set for the generated first admin: its one-time password must be replaced before anything else.
  must_change_password  boolean NOT NULL DEFAULT false,
  created_at            timestamptz NOT NULL DEFAULT now(),
  password_changed_at   timestamptz NOT NULL DEFAULT now()
);

-- Server-side sessions, so that signing out or removing an account ends them at once. The cookie
-- holds a random id; only its SHA-256 is stored, so a database dump signs nobody in.
CREATE TABLE session (
  id_hash       text PRIMARY KEY,
  account_id    integer NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  created_from  text
);
CREATE INDEX session_account_id_idx ON session (account_id);
CREATE INDEX session_expires_at_idx ON session (expires_at);

-- Every change and every sign-in attempt: who, what, when, from where. The account name is
-- copied, so an entry still says who it was after the account is removed.
CREATE TABLE audit_event (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  account_id  integer REFERENCES account (id) ON DELETE SET NULL,
  username    text,
  action      text NOT NULL,
  target      text,
  address     text,
  detail      jsonb
);
CREATE INDEX audit_event_at_idx ON audit_event (at DESC);

-- Down Migration
DROP TABLE audit_event;
DROP TABLE session;
DROP TABLE account;
DROP TYPE account_role;
