-- Up Migration

-- Where alerts are sent: a generic signed webhook or a group robot (WeCom, DingTalk, Feishu/Lark,
-- Slack). `url` and `secret` are secrets (the robots' URLs carry their key): the API never returns
-- them after creation, only a masked form. Empty routing arrays mean "all".
CREATE TYPE contact_point_kind AS ENUM ('webhook', 'wecom', 'dingtalk', 'feishu', 'slack');

CREATE TABLE contact_point (
  id                       serial PRIMARY KEY,
  name                     text NOT NULL,
  kind                     contact_point_kind NOT NULL,
  url                      text NOT NULL,
  secret                   text,
  operators                text[] NOT NULL DEFAULT '{}',
  sectors                  text[] NOT NULL DEFAULT '{}',
  severities               alert_severity[] NOT NULL DEFAULT '{}',
  -- Null: NOTIFY_REPEAT_INTERVAL_SECONDS. Updates of a still-open alert within this interval are not sent.
  repeat_interval_seconds  integer,
  enabled                  boolean NOT NULL DEFAULT true,
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now()
);

-- The outbox: one row per message to one contact point, written in the same transaction as the
-- alert change it reports, so nothing is sent for a change that was rolled back and nothing is
-- lost when the process stops before sending. A dispatcher claims due rows (FOR UPDATE SKIP
-- LOCKED, pushing next_attempt_at forward as a lease), sends, and records the outcome.
CREATE TYPE notification_state AS ENUM ('pending', 'sent', 'dead');

CREATE TABLE notification (
  id                bigserial PRIMARY KEY,
  contact_point_id  integer NOT NULL REFERENCES contact_point (id) ON DELETE CASCADE,
  alert_id          integer REFERENCES alert (id) ON DELETE SET NULL,
  -- raised | updated | resolved | test
  event             text NOT NULL,
  -- The alert as it was at the change: what the message says, whatever happens to the alert later.
  payload           jsonb NOT NULL,
  state             notification_state NOT NULL DEFAULT 'pending',
  attempts          integer NOT NULL DEFAULT 0,
  next_attempt_at   timestamptz NOT NULL DEFAULT now(),
  last_error        text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  sent_at           timestamptz
);
CREATE INDEX notification_state_next_attempt_at_idx ON notification (state, next_attempt_at);
CREATE INDEX notification_contact_point_alert_idx ON notification (contact_point_id, alert_id);
CREATE INDEX notification_created_at_idx ON notification (created_at DESC);

-- Down Migration
DROP TABLE notification;
DROP TYPE notification_state;
DROP TABLE contact_point;
DROP TYPE contact_point_kind;
