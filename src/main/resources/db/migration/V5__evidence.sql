-- The evidence store: what admission decides from, filled by imports and local signing.
-- Portable SQL (H2 and PostgreSQL). Blobs are content-addressed and immutable; tags, referrers
-- and revocations are rows stamped with the evidence version that wrote them.

-- Manifests and layers exactly as a registry holds them (signature/attestation manifests, their
-- layers, Sigstore bundle files). Images themselves go to the site registry, not here.
CREATE TABLE evidence_blob (
  digest VARCHAR(71) PRIMARY KEY,
  media_type VARCHAR(255) NOT NULL,
  size BIGINT NOT NULL,
  content BYTEA NOT NULL,
  version BIGINT NOT NULL
);

-- Tag -> digest, per repository: image tags (for mutateDigest) and cosign's sha256-<hex>.sig/.att.
CREATE TABLE evidence_tag (
  repository VARCHAR(512) NOT NULL,
  tag VARCHAR(128) NOT NULL,
  digest VARCHAR(71) NOT NULL,
  version BIGINT NOT NULL,
  PRIMARY KEY (repository, tag)
);

-- OCI referrers (Sigstore bundles attached to an image digest).
CREATE TABLE evidence_referrer (
  subject VARCHAR(71) NOT NULL,
  digest VARCHAR(71) NOT NULL,
  media_type VARCHAR(255) NOT NULL,
  artifact_type VARCHAR(255) NOT NULL,
  size BIGINT NOT NULL,
  annotations TEXT NOT NULL,
  version BIGINT NOT NULL,
  PRIMARY KEY (subject, digest)
);

-- Which image digests the store holds evidence for, and the version that last touched each:
-- the key admission caches verdicts under.
CREATE TABLE evidence_subject (
  repository VARCHAR(512) NOT NULL,
  digest VARCHAR(71) NOT NULL,
  version BIGINT NOT NULL,
  PRIMARY KEY (repository, digest)
);

-- Revoked image digests, keys (SHA-256 of the DER public key) and identities (SAN).
CREATE TABLE evidence_revocation (
  kind VARCHAR(16) NOT NULL,
  revoked VARCHAR(1024) NOT NULL,
  reason VARCHAR(2048) NOT NULL,
  version BIGINT NOT NULL,
  PRIMARY KEY (kind, revoked)
);

-- Kyverno policy documents carried in by transfer bundles (YAML as carried; admission parses it).
CREATE TABLE evidence_policy (
  name VARCHAR(253) PRIMARY KEY,
  content TEXT NOT NULL,
  sha256 CHAR(64) NOT NULL,
  version BIGINT NOT NULL
);

-- One row: the store's version, bumped by every commit (the row lock serialises writers).
CREATE TABLE evidence_state (id INT PRIMARY KEY, version BIGINT NOT NULL);
INSERT INTO evidence_state (id, version) VALUES (1, 0);
