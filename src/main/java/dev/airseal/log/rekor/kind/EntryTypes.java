package dev.airseal.log.rekor.kind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.crypto.CanonicalJson;
import java.util.List;

/**
 * The Rekor v1 entry kinds this log accepts, and the one way in: a proposed entry as posted to
 * {@code POST /api/v1/log/entries}.
 *
 * <p>Rekor stores the entry's Canonicalize() output passed through RFC 8785
 * (pkg/types/entries.go CanonicalizeEntry); we build the same JSON tree and encode it the same way,
 * so the body, and with it the leaf hash, is byte-for-byte what Rekor would log.
 */
public final class EntryTypes {
  private static final String SUPPORTED = "hashedrekord 0.0.1, dsse 0.0.1, intoto 0.0.2";

  private EntryTypes() {}

  /** Validates, verifies signatures and canonicalizes; throws with a client-facing message. */
  public static CanonicalEntry canonicalize(JsonNode proposedEntry) throws InvalidEntryException {
    if (proposedEntry == null || !proposedEntry.isObject()) {
      throw new InvalidEntryException("proposed entry must be a JSON object");
    }
    String kind = Fields.text(proposedEntry, "kind", "kind");
    String apiVersion = Fields.text(proposedEntry, "apiVersion", "apiVersion");
    String want =
        switch (kind) {
          case HashedRekordV001.KIND -> HashedRekordV001.VERSION;
          case DsseV001.KIND -> DsseV001.VERSION;
          case IntotoV002.KIND -> IntotoV002.VERSION;
          default ->
              throw new InvalidEntryException(
                  "unsupported kind \"" + kind + "\"; this log accepts " + SUPPORTED);
        };
    if (!want.equals(apiVersion)) {
      throw new InvalidEntryException(
          "kind " + kind + " does not support apiVersion \"" + apiVersion + "\"; supported: " + want);
    }
    JsonNode spec = Fields.object(proposedEntry, "spec", "spec");
    return switch (kind) {
      case HashedRekordV001.KIND -> HashedRekordV001.canonicalize(spec);
      case DsseV001.KIND -> DsseV001.canonicalize(spec);
      default -> IntotoV002.canonicalize(spec);
    };
  }

  /**
   * Validates a Rekor v2 {@code POST /api/v2/log/entries} request and canonicalizes the entry it
   * asks for. Accepts both protobuf JSON spellings of the request field.
   */
  public static CanonicalEntry canonicalizeV2(JsonNode request) throws InvalidEntryException {
    if (request == null || !request.isObject()) {
      throw new InvalidEntryException("request must be a JSON object");
    }
    for (String name : new String[] {"hashedRekordRequestV002", "hashedRekordRequestV0_0_2"}) {
      JsonNode r = request.get(name);
      if (r != null) {
        if (!r.isObject()) {
          throw new InvalidEntryException(name + " must be an object");
        }
        return HashedRekordV002.canonicalize(r);
      }
    }
    if (request.has("dsseRequestV002") || request.has("dsseRequestV0_0_2")) {
      throw new InvalidEntryException("dsse 0.0.2 is not supported; log DSSE envelopes as dsse 0.0.1"
          + " through /api/v1/log/entries");
    }
    throw new InvalidEntryException("request must hold hashedRekordRequestV002");
  }

  static CanonicalEntry entry(String kind, String version, ObjectNode spec, List<String> keys) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("apiVersion", version);
    body.put("kind", kind);
    body.set("spec", spec);
    return new CanonicalEntry(kind, version, CanonicalJson.encode(body), keys);
  }
}
