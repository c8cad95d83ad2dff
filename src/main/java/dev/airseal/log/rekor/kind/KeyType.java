package dev.airseal.log.rekor.kind;

/** The public-key algorithms Rekor's x509 PKI can verify (Go's crypto/x509 plus sigstore). */
enum KeyType {
  RSA,
  ECDSA,
  ED25519
}
