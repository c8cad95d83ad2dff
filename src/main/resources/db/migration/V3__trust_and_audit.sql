-- Every version of the site's trust root is kept; the highest is current.
CREATE TABLE trust_root_version (
  version INT PRIMARY KEY,
  created_at BIGINT NOT NULL,
  actor VARCHAR(256) NOT NULL,
  reason VARCHAR(2048) NOT NULL,
  sha256 CHAR(64) NOT NULL,
  document CHARACTER LARGE OBJECT NOT NULL
);

-- Append-only record of every decision and change an auditor may ask about.
CREATE TABLE audit_event (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  at BIGINT NOT NULL,
  kind VARCHAR(64) NOT NULL,
  actor VARCHAR(256) NOT NULL,
  subject VARCHAR(2048) NOT NULL,
  outcome VARCHAR(32) NOT NULL,
  detail CHARACTER LARGE OBJECT NOT NULL
);
CREATE INDEX audit_event_kind_at ON audit_event (kind, at);
