-- Kyverno policy documents uploaded through the API (PUT /api/v1/policies/{name}). Policies from
-- a directory stay in their files; policies carried by bundles live in evidence_policy.
CREATE TABLE admission_policy (
  name VARCHAR(253) PRIMARY KEY,
  content TEXT NOT NULL,
  sha256 VARCHAR(64) NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by VARCHAR(256) NOT NULL
);
