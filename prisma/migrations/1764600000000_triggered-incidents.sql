-- Up Migration

-- Incidents triggered on demand (POST /api/simulator/incidents): kept so that every node of a
-- cluster, and a restarted node, shows the same ones (the random incidents need no row: they are
-- a pure function of seed and time). Times are simulated instants, as the simulator reads them.
CREATE TABLE triggered_incident (
  id             serial PRIMARY KEY,
  kind           text NOT NULL CHECK (kind IN ('outage', 'surge', 'leak')),
  operator_slug  text REFERENCES operator (slug),
  sector_slug    text REFERENCES sector (slug),
  starts_at      timestamptz NOT NULL,
  magnitude      double precision NOT NULL,
  ramp_ms        integer NOT NULL,
  hold_ms        integer NOT NULL,
  recover_ms     integer NOT NULL,
  -- starts_at + ramp + hold + recovery: the start loads those not yet over; retention prunes the rest.
  ends_at        timestamptz NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX triggered_incident_ends_at_idx ON triggered_incident (ends_at);

-- Down Migration
DROP TABLE triggered_incident;
