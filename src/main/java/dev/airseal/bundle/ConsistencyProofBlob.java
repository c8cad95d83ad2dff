package dev.airseal.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A carried consistency proof of an upstream log: {@code {"firstSize", "lastSize", "hashes"}},
 * hashes as lowercase hex, as Rekor's {@code GET /api/v1/log/proof} returns them.
 */
public record ConsistencyProofBlob(long firstSize, long lastSize, List<byte[]> hashes) {
  /** More hashes than any proof between two sizes below 2^63 has. */
  static final int MAX_HASHES = 128;
  private static final ObjectMapper JSON = new ObjectMapper();

  public ConsistencyProofBlob {
    if (firstSize < 1 || lastSize < firstSize) {
      throw new IllegalArgumentException("consistency proof sizes must satisfy 1 <= firstSize <= lastSize, got "
          + firstSize + " -> " + lastSize);
    }
    hashes = hashes.stream().map(byte[]::clone).toList();
  }

  @Override
  public List<byte[]> hashes() {
    return hashes.stream().map(byte[]::clone).toList();
  }

  public byte[] toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put("firstSize", firstSize);
    n.put("lastSize", lastSize);
    com.fasterxml.jackson.databind.node.ArrayNode a = n.putArray("hashes");
    hashes.forEach(h -> a.add(HexFormat.of().formatHex(h)));
    return n.toString().getBytes(StandardCharsets.UTF_8);
  }

  public static ConsistencyProofBlob parse(byte[] json) throws BundleFormatException {
    JsonNode n;
    try {
      n = JSON.readTree(json);
    } catch (IOException e) {
      throw new BundleFormatException("consistency proof is not JSON: " + e.getMessage());
    }
    if (n == null || !n.isObject()) {
      throw new BundleFormatException("consistency proof is not a JSON object");
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!Set.of("firstSize", "lastSize", "hashes").contains(f)) {
        throw new BundleFormatException("consistency proof has unknown field \"" + f + "\"");
      }
    }
    long first = size(n, "firstSize");
    long last = size(n, "lastSize");
    JsonNode hs = n.get("hashes");
    if (hs == null || !hs.isArray() || hs.size() > MAX_HASHES) {
      throw new BundleFormatException("consistency proof \"hashes\" must be an array of at most " + MAX_HASHES);
    }
    List<byte[]> hashes = new ArrayList<>();
    for (JsonNode h : hs) {
      if (!h.isTextual() || !h.asText().matches("[0-9a-f]{64}")) {
        throw new BundleFormatException("consistency proof hash \"" + h.asText() + "\" is not 64 lowercase hex digits");
      }
      hashes.add(HexFormat.of().parseHex(h.asText()));
    }
    try {
      return new ConsistencyProofBlob(first, last, hashes);
    } catch (IllegalArgumentException e) {
      throw new BundleFormatException(e.getMessage());
    }
  }

  private static long size(JsonNode n, String field) throws BundleFormatException {
    JsonNode v = n.get(field);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 1) {
      throw new BundleFormatException("consistency proof \"" + field + "\" must be an integer >= 1");
    }
    return v.asLong();
  }
}
