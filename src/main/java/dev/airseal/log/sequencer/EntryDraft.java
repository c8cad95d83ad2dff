package dev.airseal.log.sequencer;

import dev.airseal.log.Rfc6962;
import java.util.List;

/** An entry accepted for logging and waiting for an index. */
public record EntryDraft(
    String kind, String apiVersion, byte[] body, List<String> indexKeys, byte[] leafHash) {

  public static EntryDraft of(String kind, String apiVersion, byte[] body, List<String> keys) {
    return new EntryDraft(kind, apiVersion, body, List.copyOf(keys), Rfc6962.hashLeaf(body));
  }
}
