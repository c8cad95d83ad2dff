package dev.airseal.store;

import java.util.Locale;
import java.util.Objects;

/**
 * Something the site no longer trusts, whatever signatures say: an image digest, a key (hex SHA-256
 * of its DER public key) or an identity (a certificate SAN).
 */
public record Revocation(Kind kind, String value, String reason) {
  public enum Kind {
    DIGEST,
    KEY,
    IDENTITY;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Kind fromWire(String s) {
      for (Kind k : values()) {
        if (k.wire().equals(s)) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown revocation kind '" + s + "' (digest, key or identity)");
    }
  }

  public Revocation {
    Objects.requireNonNull(kind, "kind");
    if (value == null || value.isBlank() || value.length() > 1024) {
      throw new IllegalArgumentException("a revocation needs a value of 1..1024 characters");
    }
    reason = reason == null ? "" : reason;
  }
}
