package dev.airseal.log.rekor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.airseal.log.Hex;
import dev.airseal.log.Rfc6962;
import dev.airseal.log.TransparencyLog;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code POST /api/v1/index/retrieve}: entry UUIDs filed under an artifact hash, a public key
 * (SHA-256 of its canonical PEM, as Rekor files it) or an e-mail address.
 */
@Path("/api/v1/index/retrieve")
public class IndexResource {
  private static final int MAX_RESULTS = 1000;

  @Inject RekorLog rekorLog;
  @Inject ObjectMapper json;
  @Inject RequestBodies bodies;

  @POST
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  @Blocking
  public ArrayNode search(java.io.InputStream body) {
    JsonNode q = bodies.readJson(body);
    List<Set<Long>> sets = new ArrayList<>();
    String hash = q.path("hash").asText("");
    if (!hash.isEmpty()) {
      String h = hash.toLowerCase(Locale.ROOT);
      if (!h.startsWith("sha256:") && !h.startsWith("sha1:") && !h.startsWith("sha512:")) {
        h = "sha256:" + h;
      }
      String hex = h.substring(h.indexOf(':') + 1);
      if (!Hex.isHex(hex, hex.length()) || hex.isEmpty()) {
        throw new RekorException(400, "hash must be hexadecimal, optionally prefixed 'sha256:'");
      }
      sets.add(lookup(h));
    }
    JsonNode pk = q.path("publicKey");
    if (pk.isObject()) {
      String format = pk.path("format").asText("");
      if (!format.equals("x509")) {
        throw new RekorException(400, "unsupported public key format '" + format + "' (supported: x509)");
      }
      if (pk.hasNonNull("url")) {
        throw new RekorException(400, "publicKey.url is not supported: the appliance fetches nothing");
      }
      byte[] pem;
      try {
        pem = Base64.getDecoder().decode(pk.path("content").asText(""));
      } catch (IllegalArgumentException e) {
        throw new RekorException(400, "publicKey.content is not valid base64");
      }
      String canonical = PemKeys.canonicalPem(pem);
      sets.add(lookup(Hex.encode(Rfc6962.sha256(canonical.getBytes(StandardCharsets.US_ASCII)))));
    }
    String email = q.path("email").asText("");
    if (!email.isEmpty()) {
      sets.add(lookup(email.toLowerCase(Locale.ROOT)));
    }
    if (sets.isEmpty()) {
      throw new RekorException(400, "one of hash, publicKey or email is required");
    }
    boolean and = "and".equalsIgnoreCase(q.path("operator").asText("or"));
    Set<Long> result = new LinkedHashSet<>(sets.get(0));
    for (Set<Long> s : sets.subList(1, sets.size())) {
      if (and) {
        result.retainAll(s);
      } else {
        result.addAll(s);
      }
    }
    TransparencyLog log = rekorLog.log();
    ArrayNode out = json.createArrayNode();
    for (long idx : result) {
      log.entry(idx).ifPresent(e -> out.add(EntryIds.of(log.treeId(), e.leafHash())));
    }
    return out;
  }

  private Set<Long> lookup(String key) {
    return new LinkedHashSet<>(rekorLog.log().search(key, MAX_RESULTS));
  }
}
