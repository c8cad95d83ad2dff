package dev.airseal.log.rekor.kind;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DSSE envelope verification as Rekor's dsse 0.0.1 and intoto 0.0.2 {@code verifyEnvelope} do it,
 * through go-securesystemslib's EnvelopeVerifier with one key and threshold 1.
 *
 * <p>SPEC: https://github.com/secure-systems-lab/dsse/blob/master/protocol.md — signatures are over
 * PAE(payloadType, payload). Key ids are ignored: Rekor's verifier adapters report no key, so the
 * library cannot match them.
 */
final class Dsse {
  private Dsse() {}

  record Envelope(String payloadType, String payload, List<Sig> signatures) {
    Envelope {
      signatures = List.copyOf(signatures);
    }
  }

  record Sig(String keyid, String sig) {}

  /** PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body. */
  static byte[] pae(String payloadType, byte[] body) {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    byte[] head =
        ("DSSEv1 " + type.length + " " + payloadType + " " + body.length + " ")
            .getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[head.length + body.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(body, 0, out, head.length, body.length);
    return out;
  }

  /** go-securesystemslib's b64Decode: standard base64, else URL-safe; both padded. */
  static byte[] b64Decode(String s, String what) throws InvalidEntryException {
    try {
      if (s.length() % 4 == 0) {
        return Base64.getDecoder().decode(s);
      }
    } catch (IllegalArgumentException e) {
      // fall through to the URL alphabet
    }
    try {
      if (s.length() % 4 == 0) {
        return Base64.getUrlDecoder().decode(s);
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new InvalidEntryException(what + " is not valid base64");
  }

  /**
   * Requires every signature to be verified by some key and every key to verify some signature.
   * Each key accepts only the first signature (in envelope order) it verifies, as the library
   * removes a provider once it has accepted one.
   *
   * @return the accepting key for each distinct signature string, in envelope order
   */
  static Map<String, RekorKey> verify(List<RekorKey> keys, Envelope env)
      throws InvalidEntryException {
    if (env.signatures().isEmpty()) {
      throw new InvalidEntryException("could not verify envelope: no signature found");
    }
    byte[] pae = pae(env.payloadType(), b64Decode(env.payload(), "envelope payload"));
    byte[][] sigs = new byte[env.signatures().size()][];
    for (int i = 0; i < sigs.length; i++) {
      sigs[i] = b64Decode(env.signatures().get(i).sig(), "envelope signatures[" + i + "].sig");
    }
    Map<String, RekorKey> bySig = new LinkedHashMap<>();
    for (int k = 0; k < keys.size(); k++) {
      RekorKey key = keys.get(k);
      boolean accepted = false;
      for (int i = 0; i < sigs.length && !accepted; i++) {
        if (Verifiers.verifyMessage(key, pae, sigs[i])) {
          bySig.put(env.signatures().get(i).sig(), key);
          accepted = true;
        }
      }
      if (!accepted) {
        throw new InvalidEntryException(
            "could not verify envelope: key " + k + " (" + key.type()
                + ") verifies none of its " + sigs.length + " signature(s)");
      }
    }
    for (int i = 0; i < sigs.length; i++) {
      if (!bySig.containsKey(env.signatures().get(i).sig())) {
        throw new InvalidEntryException(
            "all signatures must have a key that verifies it; signature " + i + " has none");
      }
    }
    return bySig;
  }
}
