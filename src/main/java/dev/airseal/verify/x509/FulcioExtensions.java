package dev.airseal.verify.x509;

import java.util.Map;
import java.util.Optional;

/**
 * Fulcio's certificate extensions under OID arc 1.3.6.1.4.1.57264.1, named as Fulcio's
 * {@code certificate.Extensions} names them (docs/oid-info.md in sigstore/fulcio).
 */
public final class FulcioExtensions {
  public static final String ARC = "1.3.6.1.4.1.57264.1.";
  /** Deprecated issuer (.1.1): the raw string as the extension value, no DER wrapping. */
  public static final String ISSUER_V1 = ARC + "1";
  /** Issuer (.1.8): a DER UTF8String. */
  public static final String ISSUER_V2 = ARC + "8";
  public static final String OTHERNAME_SAN = ARC + "7";

  /** .1.2 to .1.6 are raw strings (deprecated GitHub workflow extensions); .1.9 on are DER. */
  static final Map<String, String> NAMES =
      Map.ofEntries(
          Map.entry(ARC + "2", "githubWorkflowTrigger"),
          Map.entry(ARC + "3", "githubWorkflowSHA"),
          Map.entry(ARC + "4", "githubWorkflowName"),
          Map.entry(ARC + "5", "githubWorkflowRepository"),
          Map.entry(ARC + "6", "githubWorkflowRef"),
          Map.entry(ARC + "9", "buildSignerURI"),
          Map.entry(ARC + "10", "buildSignerDigest"),
          Map.entry(ARC + "11", "runnerEnvironment"),
          Map.entry(ARC + "12", "sourceRepositoryURI"),
          Map.entry(ARC + "13", "sourceRepositoryDigest"),
          Map.entry(ARC + "14", "sourceRepositoryRef"),
          Map.entry(ARC + "15", "sourceRepositoryIdentifier"),
          Map.entry(ARC + "16", "sourceRepositoryOwnerURI"),
          Map.entry(ARC + "17", "sourceRepositoryOwnerIdentifier"),
          Map.entry(ARC + "18", "buildConfigURI"),
          Map.entry(ARC + "19", "buildConfigDigest"),
          Map.entry(ARC + "20", "buildTrigger"),
          Map.entry(ARC + "21", "runInvocationURI"),
          Map.entry(ARC + "22", "sourceRepositoryVisibilityAtSigning"));

  private FulcioExtensions() {}

  /** The name for {@code nameOrOid}: a known name as is, a known OID as its name. */
  public static Optional<String> canonicalName(String nameOrOid) {
    if (NAMES.containsValue(nameOrOid)) {
      return Optional.of(nameOrOid);
    }
    return Optional.ofNullable(NAMES.get(nameOrOid));
  }

  static boolean isRawString(String oid) {
    int last = Integer.parseInt(oid.substring(ARC.length()));
    return last <= 6;
  }
}
