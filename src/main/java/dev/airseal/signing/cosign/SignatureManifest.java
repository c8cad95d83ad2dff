package dev.airseal.signing.cosign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.oci.Digest;
import dev.airseal.oci.Manifest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OCI manifest behind cosign's {@code sha256-<hex>.sig} (and {@code .att}) tag: one layer per
 * signature, the signature and its Rekor bundle in the layer's annotations, and a config blob
 * naming the layers. Signing again appends a layer; the same signature is not added twice.
 */
public final class SignatureManifest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String CONFIG_MEDIA_TYPE = "application/vnd.oci.image.config.v1+json";

  /** One signature layer: the payload blob and its annotations. */
  public record Layer(String mediaType, byte[] payload, Digest digest, Map<String, String> annotations) {
    public static Layer of(String mediaType, byte[] payload, Map<String, String> annotations) {
      return new Layer(mediaType, payload, Digest.of(payload), new LinkedHashMap<>(annotations));
    }
  }

  /** A layer already in the registry: descriptor only (its blob is there). */
  public record Existing(String mediaType, long size, Digest digest, Map<String, String> annotations) {}

  private final List<Existing> layers = new ArrayList<>();

  public static SignatureManifest empty() {
    return new SignatureManifest();
  }

  /** Reads an existing {@code .sig}/{@code .att} manifest so new layers append to it. */
  public static SignatureManifest parse(Manifest m) throws IOException {
    SignatureManifest s = new SignatureManifest();
    for (JsonNode l : JSON.readTree(m.bytes()).path("layers")) {
      Map<String, String> ann = new LinkedHashMap<>();
      l.path("annotations").fields().forEachRemaining(e -> ann.put(e.getKey(), e.getValue().asText()));
      s.layers.add(new Existing(
          l.path("mediaType").asText(), l.path("size").asLong(), Digest.parse(l.path("digest").asText()), ann));
    }
    return s;
  }

  /** Adds a layer unless one with the same payload and signature is already there. */
  public boolean add(Layer layer) {
    for (Existing e : layers) {
      if (e.digest().equals(layer.digest())
          && e.annotations().getOrDefault(Annotations.SIGNATURE, "")
              .equals(layer.annotations().getOrDefault(Annotations.SIGNATURE, ""))) {
        return false;
      }
    }
    layers.add(new Existing(layer.mediaType(), layer.payload().length, layer.digest(), layer.annotations()));
    return true;
  }

  public int size() {
    return layers.size();
  }

  public java.util.List<Existing> layers() {
    return java.util.List.copyOf(layers);
  }

  /** The config blob: an empty image config whose rootfs lists the layers, as cosign writes. */
  public byte[] config() {
    ObjectNode c = JSON.createObjectNode();
    c.put("architecture", "");
    c.put("created", "0001-01-01T00:00:00Z");
    c.putArray("history").addObject().put("created", "0001-01-01T00:00:00Z");
    c.put("os", "");
    ObjectNode rootfs = c.putObject("rootfs");
    rootfs.put("type", "layers");
    ArrayNode ids = rootfs.putArray("diff_ids");
    layers.forEach(l -> ids.add(l.digest().toString()));
    c.putObject("config");
    return bytes(c);
  }

  public byte[] manifest(byte[] config) {
    ObjectNode m = JSON.createObjectNode();
    m.put("schemaVersion", 2);
    m.put("mediaType", Manifest.OCI_MANIFEST);
    ObjectNode cfg = m.putObject("config");
    cfg.put("mediaType", CONFIG_MEDIA_TYPE);
    cfg.put("size", config.length);
    cfg.put("digest", Digest.of(config).toString());
    ArrayNode ls = m.putArray("layers");
    for (Existing l : layers) {
      ObjectNode n = ls.addObject();
      n.put("mediaType", l.mediaType());
      n.put("size", l.size());
      n.put("digest", l.digest().toString());
      ObjectNode a = n.putObject("annotations");
      l.annotations().forEach(a::put);
    }
    return bytes(m);
  }

  private static byte[] bytes(JsonNode n) {
    try {
      return JSON.writeValueAsBytes(n);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
