-- Up Migration

-- Real measurements (issue 11): one row per series and instant. The primary key is what makes a
-- repeated sample a duplicate, so clients may retry freely and each sample is stored once.
-- `received_at` is when this server accepted it: the live stream shows a sample only from then on,
-- so a restart can rebuild exactly the ticks it sent (a late sample corrects history, not the past
-- ticks a screen already drew).
CREATE TABLE measured_sample (
  operator_slug text NOT NULL REFERENCES operator (slug),
  sector_slug   text NOT NULL REFERENCES sector (slug),
  at            timestamptz NOT NULL,
  connections   integer NOT NULL CHECK (connections >= 0),
  received_at   timestamptz NOT NULL,
  source        text NOT NULL CHECK (source IN ('http', 'influx', 'mqtt')),
  PRIMARY KEY (operator_slug, sector_slug, at)
);
-- Refilling the resume buffer after a restart reads the newest samples by arrival.
CREATE INDEX measured_sample_received_at_idx ON measured_sample (received_at);
-- Retention deletes by `at`.
CREATE INDEX measured_sample_at_idx ON measured_sample (at);

-- Down Migration
DROP TABLE measured_sample;
