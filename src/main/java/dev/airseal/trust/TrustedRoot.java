package dev.airseal.trust;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The set of logs and authorities a Sigstore verifier trusts ({@code
 * dev.sigstore.trustroot.v1.TrustedRoot}), read from and written to its protobuf JSON form.
 * Immutable; two roots are equal when they serialise to the same JSON.
 */
public final class TrustedRoot {
  public static final String MEDIA_TYPE_V01 =
      "application/vnd.dev.sigstore.trustedroot+json;version=0.1";
  public static final String MEDIA_TYPE_V02 = "application/vnd.dev.sigstore.trustedroot.v0.2+json";
  static final Set<String> MEDIA_TYPES = Set.of(MEDIA_TYPE_V01, MEDIA_TYPE_V02);
  static final ObjectMapper JSON = new ObjectMapper();

  private final String mediaType;
  private final List<TlogInstance> tlogs;
  private final List<CertificateAuthority> certificateAuthorities;
  private final List<CtLog> ctlogs;
  private final List<CertificateAuthority> timestampAuthorities;
  // Verifications against one parsed root redo work on the same trust material: keys converted
  // for a verifier (BouncyCastle keeps its precomputed point tables in the key it is given), CA
  // signatures over CA certificates. Kept per parsed root so it is done once and dies with the
  // root; not part of equality. Bounded: some entries are keyed by names read from bundles.
  private final ConcurrentHashMap<Object, Object> derived = new ConcurrentHashMap<>();
  private static final int MAX_DERIVED = 1024;

  public TrustedRoot(
      String mediaType,
      List<TlogInstance> tlogs,
      List<CertificateAuthority> certificateAuthorities,
      List<CtLog> ctlogs,
      List<CertificateAuthority> timestampAuthorities) {
    if (!MEDIA_TYPES.contains(mediaType)) {
      throw new IllegalArgumentException("unsupported trusted root media type " + mediaType);
    }
    this.mediaType = mediaType;
    this.tlogs = List.copyOf(tlogs);
    this.certificateAuthorities = List.copyOf(certificateAuthorities);
    this.ctlogs = List.copyOf(ctlogs);
    this.timestampAuthorities = List.copyOf(timestampAuthorities);
  }

  public static TrustedRoot parse(byte[] json) throws TrustRootException {
    try {
      return TrustedRootReader.read(new JsonField(JSON.readTree(json), ""));
    } catch (JsonProcessingException e) {
      throw new TrustRootException("trusted root is not JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new TrustRootException("trusted root unreadable: " + e.getMessage(), e);
    }
  }

  public static TrustedRoot read(Path p) throws TrustRootException, IOException {
    try {
      return parse(Files.readAllBytes(p));
    } catch (TrustRootException e) {
      throw new TrustRootException(p + ": " + e.getMessage(), e);
    }
  }

  /** A lone {@code CertificateAuthority} message (e.g. a TSA's {@code ca.json}). */
  public static CertificateAuthority parseAuthority(byte[] json) throws TrustRootException {
    try {
      return TrustedRootReader.authority(new JsonField(JSON.readTree(json), ""));
    } catch (IOException e) {
      throw new TrustRootException("certificate authority is not JSON: " + e.getMessage(), e);
    }
  }

  /** Protobuf JSON, field names as protobuf-specs; {@link #parse} reads it back to an equal root. */
  public byte[] toJson() {
    return TrustedRootWriter.write(this);
  }

  public String mediaType() {
    return mediaType;
  }

  public List<TlogInstance> tlogs() {
    return tlogs;
  }

  public List<CertificateAuthority> certificateAuthorities() {
    return certificateAuthorities;
  }

  public List<CtLog> ctlogs() {
    return ctlogs;
  }

  public List<CertificateAuthority> timestampAuthorities() {
    return timestampAuthorities;
  }

  /** The log whose {@code logId.keyId} is {@code logId} (Rekor v1 entries name their log so). */
  public Optional<TlogInstance> tlogByLogId(byte[] logId) {
    return tlogs.stream().filter(t -> Arrays.equals(t.logId(), logId)).findFirst();
  }

  /**
   * The log a Rekor v2 checkpoint signature's key ID names: its {@code checkpointKeyId} when the
   * root sets one, else its {@code logId} (public-good roots give Rekor v2 logs only a logId).
   */
  public Optional<TlogInstance> tlogByCheckpointKeyId(byte[] keyId) {
    Optional<TlogInstance> byCheckpoint =
        tlogs.stream()
            .filter(t -> t.checkpointKeyId() != null && Arrays.equals(t.checkpointKeyId(), keyId))
            .findFirst();
    return byCheckpoint.isPresent()
        ? byCheckpoint
        : tlogs.stream()
            .filter(t -> t.checkpointKeyId() == null && Arrays.equals(t.logId(), keyId))
            .findFirst();
  }

  public Optional<CtLog> ctlogByLogId(byte[] logId) {
    return ctlogs.stream().filter(c -> Arrays.equals(c.logId(), logId)).findFirst();
  }

  /**
   * {@code key} (one of this root's: a log's, a CT log's, a CA's) as the ECDSA engine's own key
   * object, converted once per parsed root rather than on every signature (crypto/Ecdsa).
   */
  public java.security.PublicKey preparedKey(java.security.PublicKey key) {
    return derived(List.of("engine-key", key), () -> dev.airseal.crypto.Ecdsa.preparedKey(key));
  }

  /**
   * A value computed from this root's material only, computed once per parsed root (and again
   * whenever the bound is reached). {@code key} must identify the computation and its inputs.
   */
  @SuppressWarnings("unchecked") // each key is used with one value type by its caller
  public <T> T derived(Object key, Supplier<T> compute) {
    Object v = derived.get(key);
    if (v == null) {
      v = compute.get();
      if (derived.size() < MAX_DERIVED) {
        derived.putIfAbsent(key, v);
      }
    }
    return (T) v;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrustedRoot other && Arrays.equals(toJson(), other.toJson());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(toJson());
  }

  @Override
  public String toString() {
    return "TrustedRoot[" + mediaType + ", " + tlogs.size() + " tlogs, "
        + certificateAuthorities.size() + " CAs, " + ctlogs.size() + " CT logs, "
        + timestampAuthorities.size() + " TSAs]";
  }

}
