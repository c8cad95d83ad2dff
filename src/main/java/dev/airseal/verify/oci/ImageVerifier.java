package dev.airseal.verify.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.oci.Digest;
import dev.airseal.oci.Manifest;
import dev.airseal.trust.TrustedRoot;
import dev.airseal.verify.Artifact;
import dev.airseal.verify.BundleVerifier;
import dev.airseal.verify.Reason;
import dev.airseal.verify.Verdict;
import dev.airseal.verify.VerificationPolicy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies an image's cosign signatures and attestations offline, as {@code cosign verify} and
 * {@code cosign verify-attestation} do: the legacy {@code sha256-<hex>.sig} / {@code .att} layers
 * and the v3 Sigstore-bundle referrers. Each signature gets its own verdict; the image passes when
 * one of them passes. The checks, in order, are in docs/verification.md ("Images").
 *
 * <p>Fail closed: whatever the registry serves (missing blobs, malformed manifests, oversized
 * payloads, unreachable hosts) becomes a denial with its reason, never an exception.
 */
public final class ImageVerifier {
  /** {@code critical.type} of cosign's simple-signing payload. */
  public static final String SIMPLE_SIGNING_TYPE = "cosign container image signature";
  /** cosign v3's predicate for an image signature in a DSSE bundle. */
  public static final String SIGN_PREDICATE = "https://sigstore.dev/cosign/sign/v1";
  static final String BUNDLE_MEDIA_TYPE_PREFIX = "application/vnd.dev.sigstore.bundle";
  // Attestations carry SBOMs; 32 MiB bounds what one layer may make us hold in memory.
  static final long MAX_BLOB = 32L << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param ignoreTlog cosign's {@code --insecure-ignore-tlog}: signatures need no log entry
   */
  public record Options(VerificationPolicy policy, TrustedRoot root, boolean ignoreTlog) {
    public Options {
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(root, "root");
    }
  }

  private enum Kind {
    SIGNATURE("signatures", ".sig"),
    ATTESTATION("attestations", ".att");

    final String noun;
    final String suffix;

    Kind(String noun, String suffix) {
      this.noun = noun;
      this.suffix = suffix;
    }
  }

  private final ImageSource source;
  private final Options options;

  public ImageVerifier(ImageSource source, Options options) {
    this.source = Objects.requireNonNull(source, "source");
    this.options = Objects.requireNonNull(options, "options");
  }

  /** {@code cosign verify}: the image's signatures. */
  public ImageVerification verifySignatures(Digest image) {
    return run(image, Kind.SIGNATURE, Optional.empty());
  }

  /**
   * {@code cosign verify-attestation}: the image's attestations; with a predicate type, only those
   * of that type count (a verified attestation of another type is denied, naming its type).
   */
  public ImageVerification verifyAttestations(Digest image, Optional<String> predicateType) {
    return run(image, Kind.ATTESTATION, predicateType);
  }

  private ImageVerification run(Digest image, Kind kind, Optional<String> predicateType) {
    List<SignatureResult> results = new ArrayList<>();
    try {
      legacy(image, kind, predicateType, results);
      referrers(image, kind, predicateType, results);
    } catch (RuntimeException e) {
      results.add(denied("image " + kind.noun, "internal", "verification could not complete: " + e));
    }
    return decide(image, kind, results);
  }

  private static ImageVerification decide(Digest image, Kind kind, List<SignatureResult> results) {
    if (results.isEmpty()) {
      return new ImageVerification(
          image, Verdict.deny("image." + kind.noun, "no " + kind.noun + " found for " + image), results);
    }
    long passed = results.stream().filter(r -> r.verdict().allowed()).count();
    if (passed > 0) {
      return new ImageVerification(
          image,
          Verdict.allow(List.of(new Reason(
              "image." + kind.noun, passed + " of " + results.size() + " " + kind.noun + " verified"))),
          results);
    }
    List<Reason> why = new ArrayList<>();
    why.add(new Reason("image." + kind.noun, "none of " + results.size() + " " + kind.noun + " verified"));
    for (SignatureResult r : results) {
      for (Reason reason : r.verdict().reasons()) {
        why.add(new Reason(reason.check(), r.source() + ": " + reason.evidence()));
      }
    }
    return new ImageVerification(image, Verdict.deny(why), results);
  }

  // --- cosign 2.x: layers of the sha256-<hex>.sig / .att manifest ---------------------------

  private void legacy(Digest image, Kind kind, Optional<String> predicateType, List<SignatureResult> out) {
    String tag = image.cosignTagPrefix() + kind.suffix;
    Optional<Manifest> m;
    try {
      m = source.manifest(tag);
    } catch (IOException e) {
      out.add(denied(tag, "registry", "could not read " + tag + ": " + e.getMessage()));
      return;
    }
    if (m.isEmpty()) {
      return;
    }
    JsonNode layers;
    try {
      layers = JSON.readTree(m.get().bytes()).path("layers");
    } catch (IOException e) {
      out.add(denied(tag, "manifest.parse", tag + " is not a JSON manifest: " + e.getMessage()));
      return;
    }
    if (!layers.isArray()) {
      out.add(denied(tag, "manifest.parse", tag + " has no layers array"));
      return;
    }
    for (int i = 0; i < layers.size(); i++) {
      JsonNode l = layers.get(i);
      String where = tag + " layer " + i + " (" + l.path("digest").asText("no digest") + ")";
      out.add(legacyLayer(image, kind, predicateType, l, where));
    }
  }

  private SignatureResult legacyLayer(
      Digest image, Kind kind, Optional<String> predicateType, JsonNode layer, String where) {
    Optional<JsonNode> payload = Optional.empty();
    try {
      Map<String, String> ann = new LinkedHashMap<>();
      layer.path("annotations").fields().forEachRemaining(e -> ann.put(e.getKey(), e.getValue().asText()));
      byte[] blob = blob(layer.path("digest").asText(""));
      CosignLayers.Reading how = new CosignLayers.Reading(
          options.policy().identity().isPresent(), !options.ignoreTlog(),
          !options.root().timestampAuthorities().isEmpty());
      Verdict v;
      if (kind == Kind.SIGNATURE) {
        JsonNode ss = simpleSigning(blob, image);
        payload = Optional.of(ss);
        v = verifyBundle(CosignLayers.signatureBundle(blob, ann, how), Artifact.ofBytes(blob));
      } else {
        payload = statement(blob);
        v = verifyBundle(CosignLayers.attestationBundle(blob, ann, how),
            Artifact.ofSha256(image.bytes()));
        v = predicateType(v, payload, predicateType);
      }
      return new SignatureResult(where, v, payload);
    } catch (LayerProblem p) {
      return new SignatureResult(where, Verdict.deny(List.of(p.reason())), payload);
    }
  }

  /** The simple-signing payload, and cosign's claim checks on it. */
  private static JsonNode simpleSigning(byte[] blob, Digest image) throws LayerProblem {
    JsonNode p;
    try {
      p = JSON.readTree(blob);
    } catch (IOException e) {
      throw new LayerProblem("payload.parse", "signed payload is not JSON: " + e.getMessage());
    }
    if (p == null || !p.isObject()) {
      throw new LayerProblem("payload.parse", "signed payload is not a JSON object");
    }
    JsonNode critical = p.path("critical");
    String type = critical.path("type").asText("");
    if (!SIMPLE_SIGNING_TYPE.equals(type)) {
      throw new LayerProblem(
          "payload.type", "critical.type is \"" + type + "\", not \"" + SIMPLE_SIGNING_TYPE + "\"");
    }
    String claimed = critical.path("image").path("docker-manifest-digest").asText("");
    if (!image.toString().equals(claimed)) {
      throw new LayerProblem(
          "payload.digest",
          "signed payload is for " + (claimed.isEmpty() ? "no digest" : claimed) + ", the image is " + image);
    }
    return p;
  }

  // --- cosign v3: Sigstore bundles as OCI referrers ------------------------------------------

  private void referrers(Digest image, Kind kind, Optional<String> predicateType, List<SignatureResult> out) {
    Optional<Manifest> index;
    try {
      index = source.referrers(image);
    } catch (IOException e) {
      out.add(denied("referrers of " + image, "registry", "could not list referrers: " + e.getMessage()));
      return;
    }
    if (index.isEmpty() || !Manifest.OCI_INDEX.equals(index.get().mediaType())) {
      return;
    }
    JsonNode manifests;
    try {
      manifests = JSON.readTree(index.get().bytes()).path("manifests");
    } catch (IOException e) {
      out.add(denied("referrers of " + image, "referrer.index", "referrers index is not JSON: " + e.getMessage()));
      return;
    }
    for (JsonNode d : manifests) {
      if (!d.path("artifactType").asText("").startsWith(BUNDLE_MEDIA_TYPE_PREFIX)) {
        continue;
      }
      String where = "referrer " + d.path("digest").asText("(no digest)");
      String declared = d.path("annotations").path("dev.sigstore.bundle.predicateType").asText("");
      if (!declared.isEmpty() && (declared.equals(SIGN_PREDICATE) != (kind == Kind.SIGNATURE))) {
        continue;
      }
      referrer(image, kind, predicateType, d.path("digest").asText(""), where).ifPresent(out::add);
    }
  }

  private Optional<SignatureResult> referrer(
      Digest image, Kind kind, Optional<String> predicateType, String digest, String where) {
    Optional<JsonNode> statement = Optional.empty();
    try {
      Manifest m = manifest(digest);
      JsonNode rm = JSON.readTree(m.bytes());
      String subject = rm.path("subject").path("digest").asText("");
      if (!image.toString().equals(subject)) {
        throw new LayerProblem("referrer.subject", "referrer's subject is " + subject + ", not the image " + image);
      }
      JsonNode layer = rm.path("layers").path(0);
      if (!layer.path("mediaType").asText("").startsWith(BUNDLE_MEDIA_TYPE_PREFIX)) {
        throw new LayerProblem("referrer.bundle", "referrer's first layer is not a Sigstore bundle");
      }
      byte[] bundle = blob(layer.path("digest").asText(""));
      statement = bundleStatement(bundle);
      boolean isSign = statement.map(s -> SIGN_PREDICATE.equals(s.path("predicateType").asText())).orElse(true);
      if (isSign != (kind == Kind.SIGNATURE)) {
        return Optional.empty();
      }
      Verdict v = verifyBundle(bundle, Artifact.ofSha256(image.bytes()));
      if (kind == Kind.ATTESTATION) {
        v = predicateType(v, statement, predicateType);
      } else if (v.allowed() && statement.isPresent()) {
        passed(v, "statement.predicateType", SIGN_PREDICATE);
      }
      return Optional.of(new SignatureResult(where, v, statement));
    } catch (LayerProblem p) {
      return Optional.of(new SignatureResult(where, Verdict.deny(List.of(p.reason())), statement));
    } catch (IOException e) {
      return Optional.of(new SignatureResult(
          where, Verdict.deny("referrer.manifest", "referrer is not a JSON manifest: " + e.getMessage()), statement));
    }
  }

  /** The in-toto statement of a bundle's DSSE envelope, unverified; empty for other bundles. */
  private static Optional<JsonNode> bundleStatement(byte[] bundle) {
    try {
      JsonNode payload = JSON.readTree(bundle).path("dsseEnvelope").path("payload");
      if (!payload.isTextual()) {
        return Optional.empty();
      }
      return Optional.ofNullable(JSON.readTree(Base64.getDecoder().decode(payload.asText())))
          .filter(JsonNode::isObject);
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The in-toto statement inside a DSSE envelope layer, unverified. */
  private static Optional<JsonNode> statement(byte[] envelope) {
    try {
      JsonNode payload = JSON.readTree(envelope).path("payload");
      if (!payload.isTextual()) {
        return Optional.empty();
      }
      return Optional.ofNullable(JSON.readTree(Base64.getDecoder().decode(payload.asText())))
          .filter(JsonNode::isObject);
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  // --- shared --------------------------------------------------------------------------------

  private Verdict verifyBundle(byte[] bundle, Artifact artifact) {
    return options.ignoreTlog()
        ? BundleVerifier.verifyWithoutLog(bundle, artifact, options.policy(), options.root())
        : BundleVerifier.verify(bundle, artifact, options.policy(), options.root());
  }

  /** A verified attestation counts only with the wanted predicate type. */
  private static Verdict predicateType(Verdict v, Optional<JsonNode> statement, Optional<String> want) {
    if (!v.allowed() || want.isEmpty()) {
      return v;
    }
    String type = statement.map(s -> s.path("predicateType").asText("")).orElse("");
    if (!want.get().equals(type)) {
      return Verdict.deny(
          "statement.predicateType", "predicate type is \"" + type + "\", want \"" + want.get() + "\"");
    }
    return passed(v, "statement.predicateType", type);
  }

  private static Verdict passed(Verdict v, String check, String evidence) {
    List<Reason> r = new ArrayList<>(v.reasons());
    r.add(new Reason(check, evidence));
    return Verdict.allow(r);
  }

  private Manifest manifest(String digest) throws LayerProblem {
    Digest d = digest(digest);
    try {
      return source.manifest(d.toString())
          .orElseThrow(() -> new LayerProblem("referrer.manifest", "manifest " + d + " is not in the registry"));
    } catch (IOException e) {
      throw new LayerProblem("registry", "could not read manifest " + d + ": " + e.getMessage());
    }
  }

  private byte[] blob(String digest) throws LayerProblem {
    Digest d = digest(digest);
    try {
      return source.blob(d, MAX_BLOB);
    } catch (IOException e) {
      throw new LayerProblem("layer.blob", "could not read blob " + d + ": " + e.getMessage());
    }
  }

  private static Digest digest(String s) throws LayerProblem {
    try {
      return Digest.parse(s);
    } catch (IllegalArgumentException e) {
      throw new LayerProblem("layer.blob", "descriptor has no valid sha256 digest: \"" + s + "\"");
    }
  }

  private static SignatureResult denied(String where, String check, String evidence) {
    return new SignatureResult(where, Verdict.deny(check, evidence), Optional.empty());
  }
}
