package dev.airseal.verify.x509;

import dev.airseal.verify.VerificationException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The signer a verifier expects (cosign's {@code --certificate-identity[-regexp]} and {@code
 * --certificate-oidc-issuer[-regexp]}, plus exact-match Fulcio extensions). Regular expressions
 * must match the whole value: a partial match would let {@code https://github.com/acme/} accept
 * {@code https://github.com/acme/../evil}.
 *
 * @param subject exact SAN, or null
 * @param subjectRegExp {@link java.util.regex} pattern for the whole SAN, or null
 * @param issuer exact OIDC issuer, or null
 * @param issuerRegExp pattern for the whole issuer, or null
 * @param extensions exact values by Fulcio extension name or dotted OID; may be empty
 */
public record IdentityPolicy(
    String subject,
    String subjectRegExp,
    String issuer,
    String issuerRegExp,
    Map<String, String> extensions) {
  public IdentityPolicy {
    // Fail closed: a policy naming no identity or no issuer would accept any Fulcio certificate.
    if (subject == null && subjectRegExp == null) {
      throw new IllegalArgumentException("identity policy needs a subject or subjectRegExp");
    }
    if (issuer == null && issuerRegExp == null) {
      throw new IllegalArgumentException("identity policy needs an issuer or issuerRegExp");
    }
    compile(subjectRegExp);
    compile(issuerRegExp);
    Map<String, String> named = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : (extensions == null ? Map.<String, String>of() : extensions).entrySet()) {
      String name = FulcioExtensions.canonicalName(e.getKey())
          .orElseThrow(() -> new IllegalArgumentException("unknown Fulcio extension " + e.getKey()));
      named.put(name, e.getValue());
    }
    extensions = Map.copyOf(named);
  }

  public static IdentityPolicy exact(String subject, String issuer) {
    return new IdentityPolicy(subject, null, issuer, null, Map.of());
  }

  public void check(FulcioIdentity id) throws VerificationException {
    match("subject", id.subjectAlternativeName(), subject, subjectRegExp);
    match("issuer", id.issuer(), issuer, issuerRegExp);
    for (Map.Entry<String, String> e : extensions.entrySet()) {
      String actual = id.extensions().get(e.getKey());
      if (!e.getValue().equals(actual)) {
        throw new VerificationException(
            "certificate " + e.getKey() + " is " + (actual == null ? "absent" : "\"" + actual + "\"")
                + ", expected \"" + e.getValue() + "\"");
      }
    }
  }

  private static void match(String what, String actual, String exact, String regExp)
      throws VerificationException {
    if (exact != null && !exact.equals(actual)) {
      throw new VerificationException(
          "certificate " + what + " \"" + actual + "\" is not \"" + exact + "\"");
    }
    if (regExp != null && !compile(regExp).matcher(actual).matches()) {
      throw new VerificationException(
          "certificate " + what + " \"" + actual + "\" does not match /" + regExp + "/");
    }
  }

  private static Pattern compile(String regExp) {
    if (regExp == null) {
      return null;
    }
    try {
      return Pattern.compile(regExp);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("invalid regular expression: " + e.getMessage(), e);
    }
  }
}
