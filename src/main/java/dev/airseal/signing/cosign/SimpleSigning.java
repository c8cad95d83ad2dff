package dev.airseal.signing.cosign;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.oci.Digest;
import dev.airseal.oci.ImageReference;
import java.util.Map;
import java.util.TreeMap;

/**
 * cosign's signed payload, the "simple signing" JSON, byte for byte as cosign's Go structs marshal
 * it: {@code critical} (identity, image, type) then {@code optional} (null or the annotations,
 * keys sorted as Go sorts map keys).
 */
public final class SimpleSigning {
  public static final String TYPE = "cosign container image signature";
  public static final String MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private SimpleSigning() {}

  public static byte[] payload(ImageReference image, Digest digest, Map<String, String> annotations) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode critical = root.putObject("critical");
    critical.putObject("identity").put("docker-reference", dockerReference(image));
    critical.putObject("image").put("docker-manifest-digest", digest.toString());
    critical.put("type", TYPE);
    if (annotations.isEmpty()) {
      root.putNull("optional");
    } else {
      ObjectNode opt = root.putObject("optional");
      new TreeMap<>(annotations).forEach(opt::put);
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** go-containerregistry's Repository.Name(): Docker Hub is written index.docker.io. */
  static String dockerReference(ImageReference image) {
    String registry =
        image.registry().equals(ImageReference.DOCKER_HUB) ? "index.docker.io" : image.registry();
    return registry + "/" + image.repository();
  }
}
