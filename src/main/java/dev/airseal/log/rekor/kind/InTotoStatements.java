package dev.airseal.log.rekor.kind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The artifact digests Rekor indexes for an in-toto payload: every subject digest and, for SLSA
 * v0.2 provenance, every material digest, as {@code alg:value} (IndexKeys in dsse 0.0.1 and intoto
 * 0.0.2). Go iterates the digest maps in random order; we sort by algorithm to stay deterministic.
 */
final class InTotoStatements {
  static final String PAYLOAD_TYPE = "application/vnd.in-toto+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private InTotoStatements() {}

  static List<String> digestKeys(String payloadType, byte[] payload) {
    List<String> keys = new ArrayList<>();
    if (!PAYLOAD_TYPE.equals(payloadType) || payload.length == 0) {
      return keys;
    }
    JsonNode statement;
    try {
      statement = JSON.readTree(payload);
    } catch (IOException e) {
      return keys; // Rekor logs the parse error and indexes nothing more
    }
    if (statement == null) {
      return keys;
    }
    addDigests(statement.path("subject"), keys);
    addDigests(statement.path("predicate").path("materials"), keys);
    return keys;
  }

  private static void addDigests(JsonNode items, List<String> keys) {
    if (!items.isArray()) {
      return;
    }
    for (JsonNode item : items) {
      JsonNode digest = item.path("digest");
      Map<String, String> sorted = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = digest.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().isTextual()) {
          sorted.put(e.getKey(), e.getValue().textValue());
        }
      }
      sorted.forEach((alg, value) -> keys.add(alg + ":" + value));
    }
  }
}
