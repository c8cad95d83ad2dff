package dev.airseal.log.rekor.kind;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;

/** Reads proposed-entry fields, naming the JSON path of whatever is missing or malformed. */
final class Fields {
  private Fields() {}

  static JsonNode object(JsonNode parent, String name, String path) throws InvalidEntryException {
    JsonNode node = parent.get(name);
    if (node == null || node.isNull()) {
      throw new InvalidEntryException(path + " is required");
    }
    if (!node.isObject()) {
      throw new InvalidEntryException(path + " must be an object, got " + node.getNodeType());
    }
    return node;
  }

  static JsonNode array(JsonNode parent, String name, String path) throws InvalidEntryException {
    JsonNode node = parent.get(name);
    if (node == null || node.isNull()) {
      throw new InvalidEntryException(path + " is required");
    }
    if (!node.isArray()) {
      throw new InvalidEntryException(path + " must be an array, got " + node.getNodeType());
    }
    if (node.isEmpty()) {
      throw new InvalidEntryException(path + " must have at least one item");
    }
    return node;
  }

  /** A required, non-empty string. */
  static String text(JsonNode parent, String name, String path) throws InvalidEntryException {
    String value = optionalText(parent, name, path);
    if (value == null || value.isEmpty()) {
      throw new InvalidEntryException(path + " is required");
    }
    return value;
  }

  /** A string that may be absent (null). */
  static String optionalText(JsonNode parent, String name, String path)
      throws InvalidEntryException {
    JsonNode node = parent.get(name);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new InvalidEntryException(path + " must be a string, got " + node.getNodeType());
    }
    return node.textValue();
  }

  /** A required, non-empty base64 string, decoded. */
  static byte[] base64(JsonNode parent, String name, String path) throws InvalidEntryException {
    byte[] bytes = base64(text(parent, name, path), path);
    if (bytes.length == 0) {
      throw new InvalidEntryException(path + " is empty");
    }
    return bytes;
  }

  /**
   * Decodes standard, padded base64 as Go's base64.StdEncoding does, which is what Rekor applies
   * to every {@code format: byte} field: CR and LF are skipped, anything else outside the alphabet
   * is an error.
   */
  static byte[] base64(String value, String path) throws InvalidEntryException {
    String compact = value.indexOf('\n') < 0 && value.indexOf('\r') < 0
        ? value
        : value.replace("\r", "").replace("\n", "");
    if (compact.length() % 4 != 0) {
      // Java's decoder accepts missing padding; Go's StdEncoding, and so Rekor, does not.
      throw new InvalidEntryException(
          path + " is not valid base64: length " + compact.length() + " is not a multiple of 4");
    }
    try {
      return Base64.getDecoder().decode(compact);
    } catch (IllegalArgumentException e) {
      throw new InvalidEntryException(path + " is not valid base64: " + e.getMessage());
    }
  }
}
