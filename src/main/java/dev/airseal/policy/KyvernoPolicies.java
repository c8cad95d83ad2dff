package dev.airseal.policy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Kyverno {@code kyverno.io/v1} {@code ClusterPolicy} and {@code Policy} documents with {@code
 * verifyImages} rules, loaded all or nothing and evaluated offline. What is supported, and what is
 * refused with the field's path, is in docs/policies.md.
 */
public final class KyvernoPolicies implements Policies {
  private static final ObjectMapper YAML = new ObjectMapper(
      new YAMLFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));
  // Policies are small; this bounds what a hostile upload can make us parse.
  static final int MAX_DOCUMENT_CHARS = 1 << 20;

  private final String version;
  private final List<KyvernoPolicy> policies;

  private KyvernoPolicies(String version, List<KyvernoPolicy> policies) {
    this.version = version;
    this.policies = List.copyOf(policies);
  }

  /**
   * Parses and validates every document (a file may hold several YAML documents); any error
   * refuses the whole set, naming the document and the field's path.
   */
  public static Policies load(List<PolicyDocument> docs) throws PolicyException {
    List<KyvernoPolicy> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (PolicyDocument d : docs) {
      for (KyvernoPolicy p : parse(d)) {
        if (!names.add(p.displayName())) {
          throw new PolicyException(d.name(), "metadata.name", "policy \"" + p.displayName() + "\" is defined twice");
        }
        out.add(p);
      }
    }
    return new KyvernoPolicies(version(docs), out);
  }

  private static List<KyvernoPolicy> parse(PolicyDocument d) throws PolicyException {
    if (d.content() == null || d.content().length() > MAX_DOCUMENT_CHARS) {
      throw new PolicyException(d.name(), "", "empty or larger than " + MAX_DOCUMENT_CHARS + " characters");
    }
    List<JsonNode> roots = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(d.content())) {
      while (it.hasNextValue()) {
        JsonNode n = it.nextValue();
        if (n != null && !n.isNull() && !n.isMissingNode()) {
          roots.add(n);
        }
      }
    } catch (JsonProcessingException e) {
      throw new PolicyException(d.name(), "", "not valid YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
    } catch (IOException | RuntimeException e) {
      throw new PolicyException(d.name(), "", "not valid YAML: " + e.getMessage());
    }
    if (roots.isEmpty()) {
      throw new PolicyException(d.name(), "", "holds no policy");
    }
    List<KyvernoPolicy> out = new ArrayList<>();
    for (int i = 0; i < roots.size(); i++) {
      String name = roots.size() == 1 ? d.name() : d.name() + " (document " + (i + 1) + ")";
      out.add(PolicyParser.parse(name, roots.get(i)));
    }
    return out;
  }

  /** SHA-256 over the documents in name order: any change of content or name changes it. */
  private static String version(List<PolicyDocument> docs) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      List<PolicyDocument> sorted = new ArrayList<>(docs);
      sorted.sort(Comparator.comparing(PolicyDocument::name).thenComparing(PolicyDocument::content));
      for (PolicyDocument d : sorted) {
        for (String s : List.of(d.name(), d.content())) {
          byte[] b = s.getBytes(StandardCharsets.UTF_8);
          md.update(HexFormat.of().formatHex(new byte[] {(byte) (b.length >>> 24), (byte) (b.length >>> 16),
              (byte) (b.length >>> 8), (byte) b.length}).getBytes(StandardCharsets.US_ASCII));
          md.update(b);
        }
      }
      return "sha256:" + HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String version() {
    return version;
  }

  @Override
  public List<String> names() {
    return policies.stream().map(KyvernoPolicy::displayName).toList();
  }

  @Override
  public List<ImageCheck> checksFor(AdmissionContext request, String image) {
    // Kyverno verifies images on CREATE and UPDATE only: a DELETE or CONNECT admits no image.
    String op = request.operation().toUpperCase(java.util.Locale.ROOT);
    if (!op.equals("CREATE") && !op.equals("UPDATE")) {
      return List.of();
    }
    String normalized = KyvernoImages.normalize(image);
    List<ImageCheck> out = new ArrayList<>();
    for (KyvernoPolicy p : policies) {
      if (!p.admission() || (p.namespace() != null && !p.namespace().equals(request.namespace()))) {
        continue;
      }
      for (KyvernoPolicy.Rule r : p.rules()) {
        if (!r.selects(request, p.autogenKinds())) {
          continue;
        }
        for (KyvernoPolicy.VerifyImages v : r.verifyImages()) {
          if (v.selects(normalized)) {
            out.add(new KyvernoCheck(p, r, v));
          }
        }
      }
    }
    return out;
  }
}
