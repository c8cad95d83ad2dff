package dev.airseal.policy;

import dev.airseal.trust.CertificateAuthority;
import dev.airseal.trust.ValidFor;
import dev.airseal.verify.x509.IdentityPolicy;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads {@code attestors[]} sets and their entries. */
final class AttestorParser {
  // Kyverno's names for the deprecated GitHub workflow extensions, mapped to Fulcio's.
  private static final Map<String, String> GITHUB_EXTENSIONS = Map.of(
      "githubWorkflowTrigger", "githubWorkflowTrigger",
      "githubWorkflowSha", "githubWorkflowSHA",
      "githubWorkflowName", "githubWorkflowName",
      "githubWorkflowRepository", "githubWorkflowRepository",
      "githubWorkflowRef", "githubWorkflowRef");
  private static final String VARIABLES =
      "variables ({{ }}) are not supported here: Airseal has no cluster context to resolve them from";

  private AttestorParser() {}

  /** @param signatures whether entries verify image signatures (annotations apply only there) */
  static List<AttestorSet> sets(Fields parent, String key, boolean signatures) throws PolicyException {
    List<AttestorSet> out = new ArrayList<>();
    for (Fields s : parent.list(key)) {
      out.add(set(s, signatures));
    }
    return out;
  }

  static AttestorSet set(Fields f, boolean signatures) throws PolicyException {
    f.only(Set.of("count", "entries"));
    List<Attestor> entries = new ArrayList<>();
    for (Fields e : f.list("entries")) {
      entries.addAll(entry(e, signatures));
    }
    if (entries.isEmpty()) {
      throw f.error("entries", "at least one attestor is required");
    }
    int count = f.integer("count").orElse(0);
    if (count < 0) {
      throw f.error("count", "must not be negative");
    }
    if (count > entries.size()) {
      throw f.error("count", count + " attestors required but only " + entries.size() + " given");
    }
    return new AttestorSet(count == 0 ? entries.size() : count, entries);
  }

  private static List<Attestor> entry(Fields f, boolean signatures) throws PolicyException {
    f.only(Set.of("keys", "keyless", "certificates", "attestor", "annotations", "repository"));
    f.refuse("repository", "signatures are read from the image's own repository (evidence store or site mirror)");
    Map<String, String> annotations = f.stringMap("annotations");
    if (!annotations.isEmpty() && !signatures) {
      throw f.error("annotations", "annotations are checked on image signatures only, not on attestations");
    }
    int kinds = (f.has("keys") ? 1 : 0) + (f.has("keyless") ? 1 : 0) + (f.has("certificates") ? 1 : 0)
        + (f.has("attestor") ? 1 : 0);
    if (kinds != 1) {
      throw f.error("exactly one of keys, keyless, certificates or attestor is required");
    }
    if (f.has("keys")) {
      return keys(f.requireObject("keys"), annotations);
    }
    if (f.has("keyless")) {
      return List.of(keyless(f.requireObject("keyless"), annotations));
    }
    if (f.has("certificates")) {
      return List.of(certificates(f.requireObject("certificates"), annotations));
    }
    return List.of(new Attestor.Nested(set(f.requireObject("attestor"), signatures)));
  }

  private static List<Attestor> keys(Fields f, Map<String, String> annotations) throws PolicyException {
    f.only(Set.of("publicKeys", "kms", "secret", "signatureAlgorithm", "rekor", "ctlog"));
    f.refuse("secret", "Kubernetes Secrets cannot be read offline; put the PEM in publicKeys");
    String alg = f.string("signatureAlgorithm").orElse("sha256");
    if (!alg.toLowerCase(Locale.ROOT).equals("sha256")) {
      throw f.error("signatureAlgorithm", "only sha256 is supported, not \"" + alg + "\"");
    }
    LogOptions logs = logs(f);
    if (f.has("publicKeys") == f.has("kms")) {
      throw f.error("exactly one of publicKeys or kms is required");
    }
    if (f.has("kms")) {
      String kms = f.requireString("kms");
      if (kms.contains("{{")) {
        throw f.error("kms", VARIABLES);
      }
      return List.of(new Attestor.Key(null, kms, logs, annotations));
    }
    String pem = f.requireString("publicKeys");
    if (pem.contains("{{")) {
      throw f.error("publicKeys", VARIABLES);
    }
    Fields where = new Fields(f.document(), f.node().get("publicKeys"), f.path() + ".publicKeys");
    if (!pem.contains("-----BEGIN")) {
      throw where.error("expected PEM PUBLIC KEY blocks (a KMS or PKCS#11 key goes in keys.kms)");
    }
    List<Attestor> out = new ArrayList<>();
    for (PublicKey k : Pem.publicKeys(where, pem)) {
      out.add(new Attestor.Key(k, null, logs, annotations));
    }
    return out;
  }

  private static Attestor keyless(Fields f, Map<String, String> annotations) throws PolicyException {
    f.only(Set.of("subject", "subjectRegExp", "issuer", "issuerRegExp", "roots", "rekor", "ctlog",
        "additionalExtensions"));
    Optional<String> subject = f.string("subject");
    Optional<String> subjectRe = f.string("subjectRegExp");
    Optional<String> issuer = f.string("issuer");
    Optional<String> issuerRe = f.string("issuerRegExp");
    for (String k : List.of("subject", "subjectRegExp", "issuer", "issuerRegExp")) {
      if (f.string(k).map(s -> s.contains("{{")).orElse(false)) {
        throw f.error(k, VARIABLES);
      }
    }
    // Fail closed: an identity without a subject or issuer would accept any Fulcio certificate.
    if (subject.isEmpty() && subjectRe.isEmpty()) {
      throw f.error("subject or subjectRegExp is required offline (no identity would accept any signer)");
    }
    if (issuer.isEmpty() && issuerRe.isEmpty()) {
      throw f.error("issuer or issuerRegExp is required offline (no issuer would accept any OIDC provider)");
    }
    Map<String, String> ext = new LinkedHashMap<>();
    Optional<Fields> extFields = f.object("additionalExtensions");
    for (Map.Entry<String, String> e : f.stringMap("additionalExtensions").entrySet()) {
      String name = GITHUB_EXTENSIONS.get(e.getKey());
      if (name == null) {
        throw extFields.get().error(e.getKey(), "unknown extension (githubWorkflowTrigger, githubWorkflowSha, "
            + "githubWorkflowName, githubWorkflowRepository, githubWorkflowRef)");
      }
      ext.put(name, e.getValue());
    }
    IdentityPolicy identity;
    try {
      identity = new IdentityPolicy(
          subject.filter(s -> !Wildcards.isPattern(s)).orElse(null),
          regex(subject, subjectRe),
          issuer.filter(s -> !Wildcards.isPattern(s)).orElse(null),
          regex(issuer, issuerRe),
          ext);
    } catch (IllegalArgumentException e) {
      throw f.error(e.getMessage());
    }
    List<CertificateAuthority> roots = null;
    if (f.has("roots")) {
      Fields where = new Fields(f.document(), f.node().get("roots"), f.path() + ".roots");
      roots = roots(where, Pem.certificates(where, f.requireString("roots")));
    }
    return new Attestor.Keyless(identity, roots, logs(f), annotations);
  }

  /** Kyverno matches subject and issuer as wildcards; a regexp given too must also match. */
  private static String regex(Optional<String> wildcard, Optional<String> regExp) {
    Optional<String> w = wildcard.filter(Wildcards::isPattern).map(Wildcards::toRegex);
    if (w.isPresent() && regExp.isPresent()) {
      return "(?=(?:" + w.get() + ")$)(?:" + regExp.get() + ")";
    }
    return w.or(() -> regExp).orElse(null);
  }

  /** Each self-signed certificate is a root of its own; otherwise the PEM is one chain, root last. */
  private static List<CertificateAuthority> roots(Fields where, List<X509Certificate> certs) throws PolicyException {
    List<CertificateAuthority> out = new ArrayList<>();
    boolean allSelfSigned = certs.stream().allMatch(c -> c.getSubjectX500Principal().equals(c.getIssuerX500Principal()));
    if (allSelfSigned) {
      for (X509Certificate c : certs) {
        out.add(new CertificateAuthority("", "", "", List.of(c), ValidFor.from(Instant.EPOCH)));
      }
      return out;
    }
    X509Certificate last = certs.get(certs.size() - 1);
    if (!last.getSubjectX500Principal().equals(last.getIssuerX500Principal())) {
      throw where.error("a chain of roots must end with a self-signed certificate");
    }
    out.add(new CertificateAuthority("", "", "", certs, ValidFor.from(Instant.EPOCH)));
    return out;
  }

  private static Attestor certificates(Fields f, Map<String, String> annotations) throws PolicyException {
    f.only(Set.of("cert", "certChain", "rekor", "ctlog"));
    Fields certAt = new Fields(f.document(), f.node().get("cert"), f.path() + ".cert");
    String pem = f.requireString("cert");
    if (pem.contains("{{")) {
      throw certAt.error(VARIABLES);
    }
    List<X509Certificate> cert = Pem.certificates(certAt, pem);
    if (cert.size() != 1) {
      throw certAt.error("expected one certificate, found " + cert.size());
    }
    if (f.has("certChain")) {
      Fields chainAt = new Fields(f.document(), f.node().get("certChain"), f.path() + ".certChain");
      List<X509Certificate> chain = Pem.certificates(chainAt, f.requireString("certChain"));
      checkChain(chainAt, cert.get(0), chain);
    }
    return new Attestor.Certificate(cert.get(0).getPublicKey(), logs(f), annotations);
  }

  /** Each certificate must be signed by the next one; the last must sign itself. */
  private static void checkChain(Fields where, X509Certificate leaf, List<X509Certificate> chain) throws PolicyException {
    List<X509Certificate> all = new ArrayList<>();
    all.add(leaf);
    all.addAll(chain);
    for (int i = 0; i < all.size(); i++) {
      X509Certificate issuer = all.get(Math.min(i + 1, all.size() - 1));
      try {
        all.get(i).verify(issuer.getPublicKey());
      } catch (java.security.GeneralSecurityException e) {
        throw where.error("certificate " + all.get(i).getSubjectX500Principal() + " is not signed by "
            + issuer.getSubjectX500Principal() + ": " + e.getMessage());
      }
    }
  }

  private static LogOptions logs(Fields f) throws PolicyException {
    List<String> notes = new ArrayList<>();
    boolean ignoreTlog = false;
    Optional<PublicKey> rekorKey = Optional.empty();
    Optional<Fields> rekor = f.object("rekor");
    if (rekor.isPresent()) {
      rekor.get().only(Set.of("url", "pubkey", "ignoreTlog", "tsaCertChain"));
      rekor.get().refuse("tsaCertChain", "timestamp authorities come from the site trust root");
      rekor.get().string("url").ifPresent(u -> notes.add(String.format(LogOptions.URL_IGNORED, u)));
      ignoreTlog = rekor.get().bool("ignoreTlog", false);
      if (rekor.get().has("pubkey")) {
        rekorKey = Optional.of(single(rekor.get(), "pubkey"));
      }
    }
    boolean ignoreSct = false;
    Optional<PublicKey> ctKey = Optional.empty();
    Optional<Fields> ct = f.object("ctlog");
    if (ct.isPresent()) {
      ct.get().only(Set.of("ignoreSCT", "pubkey", "tsaCertChain"));
      ct.get().refuse("tsaCertChain", "timestamp authorities come from the site trust root");
      ignoreSct = ct.get().bool("ignoreSCT", false);
      if (ct.get().has("pubkey")) {
        ctKey = Optional.of(single(ct.get(), "pubkey"));
      }
    }
    return new LogOptions(ignoreTlog, rekorKey, ignoreSct, ctKey, List.copyOf(notes));
  }

  private static PublicKey single(Fields f, String key) throws PolicyException {
    Fields where = new Fields(f.document(), f.node().get(key), f.path() + "." + key);
    List<PublicKey> keys = Pem.publicKeys(where, f.requireString(key));
    if (keys.size() != 1) {
      throw where.error("expected one PEM public key, found " + keys.size());
    }
    return keys.get(0);
  }
}
