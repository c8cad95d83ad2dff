package dev.airseal.policy;

import dev.airseal.trust.CertificateAuthority;
import dev.airseal.verify.VerificationPolicy;
import dev.airseal.verify.x509.IdentityPolicy;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;

/** One entry of an attestor set ({@code attestors[].entries[]}). */
sealed interface Attestor {
  /** Kyverno's path suffix for messages: {@code .keys}, {@code .keyless}, {@code .certificates}, {@code .attestor}. */
  String kind();

  /** {@code annotations} the signature payload must carry (signatures only). */
  Map<String, String> annotations();

  /** A public key given inline, or a KMS / PKCS#11 key resolved when first needed. */
  record Key(PublicKey key, String kms, LogOptions logs, Map<String, String> annotations) implements Attestor {
    @Override
    public String kind() {
      return ".keys";
    }
  }

  /**
   * A Fulcio identity; {@code roots} replaces the site root's certificate authorities when given.
   */
  record Keyless(IdentityPolicy identity, List<CertificateAuthority> roots, LogOptions logs,
      Map<String, String> annotations) implements Attestor {
    @Override
    public String kind() {
      return ".keyless";
    }

    VerificationPolicy policy() {
      VerificationPolicy p = VerificationPolicy.forIdentity(identity);
      return logs.ignoreSct() ? p.withoutScts() : p;
    }
  }

  /** A signing certificate (its chain checked at load); verification uses its public key. */
  record Certificate(PublicKey key, LogOptions logs, Map<String, String> annotations) implements Attestor {
    @Override
    public String kind() {
      return ".certificates";
    }
  }

  /** A nested attestor set ({@code attestor}), which passes when its own count is met. */
  record Nested(AttestorSet set) implements Attestor {
    @Override
    public String kind() {
      return ".attestor";
    }

    @Override
    public Map<String, String> annotations() {
      return Map.of();
    }
  }
}
