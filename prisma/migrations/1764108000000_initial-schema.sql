-- Up Migration

-- Reference vocabulary: the three operators and seven sectors of the GSMA report.
CREATE TABLE operator (
  slug    text PRIMARY KEY,
  name    text NOT NULL,
  name_zh text NOT NULL,
  note    text
);

CREATE TABLE sector (
  slug    text PRIMARY KEY,
  name    text NOT NULL,
  name_zh text NOT NULL,
  note    text
);

-- 'reported' figures come from the report; 'assumption' figures are ours, with the reasoning in note.
CREATE TYPE provenance AS ENUM ('reported', 'assumption');

CREATE TABLE baseline (
  id            serial PRIMARY KEY,
  key           text NOT NULL UNIQUE,
  metric        text NOT NULL,
  label         text NOT NULL,
  value         double precision NOT NULL,
  unit          text NOT NULL,
  period        text NOT NULL,
  scope         text NOT NULL,
  operator_slug text REFERENCES operator (slug),
  sector_slug   text REFERENCES sector (slug),
  provenance    provenance NOT NULL,
  source        text NOT NULL,
  attribution   text,
  note          text,
  caveat        text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
-- The API filters baselines by operator and by sector; panels group them by metric.
CREATE INDEX baseline_operator_slug_idx ON baseline (operator_slug);
CREATE INDEX baseline_sector_slug_idx ON baseline (sector_slug);
CREATE INDEX baseline_metric_idx ON baseline (metric);

-- Where a live figure comes from: the simulator today, a measured feed later.
CREATE TYPE data_provenance AS ENUM ('simulated', 'measured');

-- One row per operator x sector x minute; the history API reads ranges of these.
CREATE TABLE connection_rollup (
  operator_slug text NOT NULL REFERENCES operator (slug),
  sector_slug   text NOT NULL REFERENCES sector (slug),
  minute        timestamptz NOT NULL,
  min           integer NOT NULL,
  max           integer NOT NULL,
  mean          double precision NOT NULL,
  last          integer NOT NULL,
  samples       integer NOT NULL,
  provenance    data_provenance NOT NULL,
  backfilled    boolean NOT NULL DEFAULT false,
  PRIMARY KEY (operator_slug, sector_slug, minute),
  CHECK (min <= max AND samples > 0)
);
-- Range scans over every series at once (the 24-hour overview, retention pruning).
CREATE INDEX connection_rollup_minute_idx ON connection_rollup (minute);

CREATE TYPE alert_severity AS ENUM ('info', 'warning', 'critical');

CREATE TABLE alert (
  id             serial PRIMARY KEY,
  raised_at      timestamptz NOT NULL,
  operator_slug  text NOT NULL REFERENCES operator (slug),
  -- NULL: the alert concerns the operator's total rather than one sector.
  sector_slug    text REFERENCES sector (slug),
  kind           text NOT NULL,
  severity       alert_severity NOT NULL,
  observed       double precision NOT NULL,
  expected       double precision NOT NULL,
  expected_low   double precision NOT NULL,
  expected_high  double precision NOT NULL,
  message        text NOT NULL,
  provenance     data_provenance NOT NULL,
  resolved_at    timestamptz
);
-- The alerts feed lists newest first, overall and per operator.
CREATE INDEX alert_raised_at_idx ON alert (raised_at DESC);
CREATE INDEX alert_operator_raised_at_idx ON alert (operator_slug, raised_at DESC);

-- Wall-screen rotation: an ordered list of views, each shown for its dwell time.
CREATE TABLE playlist (
  id         serial PRIMARY KEY,
  slug       text NOT NULL UNIQUE,
  name       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE playlist_view (
  id            serial PRIMARY KEY,
  playlist_id   integer NOT NULL REFERENCES playlist (id) ON DELETE CASCADE,
  position      integer NOT NULL,
  title         text,
  operators     text[] NOT NULL DEFAULT '{}',
  sectors       text[] NOT NULL DEFAULT '{}',
  time_window   text NOT NULL DEFAULT '15m',
  dwell_seconds integer NOT NULL CHECK (dwell_seconds BETWEEN 5 AND 3600),
  UNIQUE (playlist_id, position)
);

-- Down Migration
DROP TABLE playlist_view;
DROP TABLE playlist;
DROP TABLE alert;
DROP TYPE alert_severity;
DROP TABLE connection_rollup;
DROP TYPE data_provenance;
DROP TABLE baseline;
DROP TYPE provenance;
DROP TABLE sector;
DROP TABLE operator;
