package dev.airseal.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.trust.TrustedRoot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * cosign's {@code verify-blob-attestation}: a bundle whose DSSE envelope holds an in-toto statement
 * about the artifact, with the predicate type asked for. Everything {@link BundleVerifier} checks,
 * then the predicate type.
 */
public final class AttestationVerifier {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AttestationVerifier() {}

  /**
   * @param artifact the subject the statement must name (required: an attestation about nothing in
   *     particular proves nothing about this file)
   * @param predicateType the exact predicate type URI the statement must carry
   */
  public static Verdict verify(
      byte[] bundleJson,
      Artifact artifact,
      String predicateType,
      VerificationPolicy policy,
      TrustedRoot root) {
    Objects.requireNonNull(artifact, "artifact");
    Objects.requireNonNull(predicateType, "predicateType");
    Verdict v = BundleVerifier.verify(bundleJson, artifact, policy, root);
    if (!v.allowed()) {
      return v;
    }
    try {
      // The bundle verified, so the payload read here is the one whose signature was checked.
      Bundle b = BundleReader.read(bundleJson);
      if (!(b.content() instanceof Bundle.Envelope env)) {
        return Verdict.deny(
            "content.predicateType", "bundle holds a message signature, not an in-toto attestation");
      }
      String actual = predicateType(env.payload());
      if (!predicateType.equals(actual)) {
        return Verdict.deny(
            "content.predicateType",
            "statement's predicate type is \"" + actual + "\", want \"" + predicateType + "\"");
      }
      List<Reason> passed = new ArrayList<>(v.reasons());
      passed.add(new Reason("content.predicateType", predicateType));
      return Verdict.allow(passed);
    } catch (CheckFailure f) {
      return Verdict.deny(List.of(f.reason()));
    } catch (RuntimeException e) {
      return Verdict.deny("internal", "verification could not complete: " + e);
    }
  }

  private static String predicateType(byte[] payload) throws CheckFailure {
    JsonNode statement;
    try {
      statement = JSON.readTree(payload);
    } catch (IOException e) {
      throw new CheckFailure("content.predicateType", "in-toto statement is not JSON: " + e.getMessage());
    }
    JsonNode t = statement == null ? null : statement.get("predicateType");
    if (t == null || !t.isTextual()) {
      throw new CheckFailure("content.predicateType", "in-toto statement has no predicateType string");
    }
    return t.asText();
  }
}
