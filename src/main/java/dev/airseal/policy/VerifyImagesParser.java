package dev.airseal.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads one {@code verifyImages[]} entry. */
final class VerifyImagesParser {
  private VerifyImagesParser() {}

  static KyvernoPolicy.VerifyImages parse(Fields f, boolean policyEnforce) throws PolicyException {
    f.only(Set.of("imageReferences", "skipImageReferences", "type", "attestors", "attestations", "mutateDigest",
        "verifyDigest", "required", "useCache", "imageRegistryCredentials", "failureAction", "repository",
        "image", "key", "subject", "issuer", "roots", "annotations", "additionalExtensions", "validate",
        "cosignOCI11"));
    for (String legacy : List.of("image", "key", "subject", "issuer", "roots", "annotations", "additionalExtensions")) {
      f.refuse(legacy, "the pre-1.7 form is not supported; use imageReferences and attestors");
    }
    f.refuse("repository", "signatures are read from the image's own repository (evidence store or site mirror)");
    f.refuse("validate", "verifyImages[].validate is not supported");
    f.refuse("cosignOCI11", "cosign's OCI 1.1 experimental mode is not supported");
    String type = f.string("type").orElse("Cosign");
    if (!type.equals("Cosign")) {
      throw f.error("type", "\"" + type + "\" is not supported (Cosign)");
    }
    List<String> refs = f.strings("imageReferences");
    if (refs.isEmpty()) {
      throw f.error("imageReferences", "at least one image reference pattern is required");
    }
    List<String> notes = new ArrayList<>();
    if (f.has("imageRegistryCredentials")) {
      f.requireObject("imageRegistryCredentials").only(Set.of("allowInsecureRegistry", "providers", "secrets"));
      notes.add("imageRegistryCredentials ignored: evidence comes from the evidence store or the configured site mirror");
    }
    f.bool("useCache", true);
    boolean enforce = policyEnforce;
    if (f.has("failureAction")) {
      String a = f.requireString("failureAction");
      enforce = switch (a.toLowerCase(Locale.ROOT)) {
        case "enforce" -> true;
        case "audit" -> false;
        default -> throw f.error("failureAction", "\"" + a + "\" is not Enforce or Audit");
      };
    }
    List<AttestorSet> attestors = AttestorParser.sets(f, "attestors", true);
    List<KyvernoPolicy.Attestation> attestations = new ArrayList<>();
    for (Fields a : f.list("attestations")) {
      attestations.add(attestation(a));
    }
    if (attestors.isEmpty() && attestations.isEmpty()) {
      throw f.error("attestors or attestations is required: a rule that verifies nothing proves nothing");
    }
    return new KyvernoPolicy.VerifyImages(refs, f.strings("skipImageReferences"), attestors, List.copyOf(attestations),
        f.bool("mutateDigest", true), f.bool("verifyDigest", true), f.bool("required", true), enforce,
        List.copyOf(notes));
  }

  private static KyvernoPolicy.Attestation attestation(Fields f) throws PolicyException {
    f.only(Set.of("type", "predicateType", "name", "attestors", "conditions"));
    if (f.has("type") && f.has("predicateType")) {
      throw f.error("give type or predicateType, not both");
    }
    String type = f.has("type") ? f.requireString("type") : f.requireString("predicateType");
    List<AttestorSet> attestors = AttestorParser.sets(f, "attestors", false);
    // Fail closed: Kyverno would then accept any attestation, signed by anyone.
    if (attestors.isEmpty()) {
      throw f.error("attestors", "required: an attestation nobody is required to have signed proves nothing");
    }
    List<Conditions> conditions = new ArrayList<>();
    for (Fields c : f.list("conditions")) {
      conditions.add(Conditions.parse(c));
    }
    return new KyvernoPolicy.Attestation(type, attestors, List.copyOf(conditions));
  }
}
