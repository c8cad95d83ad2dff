package dev.airseal.admission;

import dev.airseal.oci.Digest;
import dev.airseal.store.Revocation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The site's revocations as one immutable snapshot: digests deny outright; keys (hex SHA-256 of the
 * DER public key) and identities (certificate SANs) remove the signatures they made from the
 * evidence the verifier sees ({@link RevokedSignerFilter}).
 */
public final class Revocations {
  private final Map<String, String> digests = new HashMap<>();
  private final Map<String, String> keys = new HashMap<>();
  private final Map<String, String> identities = new HashMap<>();

  public Revocations(List<Revocation> all) {
    for (Revocation r : all) {
      switch (r.kind()) {
        case DIGEST -> digests.put(r.value(), r.reason());
        case KEY -> keys.put(r.value().toLowerCase(java.util.Locale.ROOT), r.reason());
        case IDENTITY -> identities.put(r.value(), r.reason());
      }
    }
  }

  public static Revocations none() {
    return new Revocations(List.of());
  }

  /** The reason {@code d} is revoked, if it is. */
  public Optional<String> digest(Digest d) {
    return Optional.ofNullable(digests.get(d.toString()));
  }

  public boolean hasSignerRevocations() {
    return !keys.isEmpty() || !identities.isEmpty();
  }

  /** What revokes a signer with this key hash or these identities; empty when nothing does. */
  public Optional<String> signer(String keySha256, Iterable<String> sans) {
    if (keySha256 != null && keys.containsKey(keySha256)) {
      return Optional.of("key sha256:" + keySha256 + " is revoked: " + keys.get(keySha256));
    }
    for (String s : sans) {
      if (identities.containsKey(s)) {
        return Optional.of("identity " + s + " is revoked: " + identities.get(s));
      }
    }
    return Optional.empty();
  }
}
