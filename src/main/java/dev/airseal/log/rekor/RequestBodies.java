package dev.airseal.log.rekor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.config.AirsealConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;

/** Reads request bodies with a size limit, so an oversized body is refused before it is parsed. */
@ApplicationScoped
public class RequestBodies {
  @Inject AirsealConfig config;
  @Inject ObjectMapper json;

  public byte[] read(InputStream in) {
    int limit = config.api().maxBodyBytes();
    try {
      byte[] b = in.readNBytes(limit + 1);
      if (b.length > limit) {
        throw new RekorException(413, "request body exceeds the limit of " + limit + " bytes");
      }
      return b;
    } catch (IOException e) {
      throw new RekorException(400, "cannot read the request body: " + e.getMessage());
    }
  }

  public JsonNode readJson(InputStream in) {
    byte[] b = read(in);
    if (b.length == 0) {
      throw new RekorException(400, "empty request body");
    }
    try {
      JsonNode n =
          json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(b);
      if (n == null || !n.isObject()) {
        throw new RekorException(400, "request body must be a JSON object");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new RekorException(400, "malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new RekorException(400, "cannot read the request body: " + e.getMessage());
    }
  }
}
