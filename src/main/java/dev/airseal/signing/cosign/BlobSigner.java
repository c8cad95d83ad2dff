package dev.airseal.signing.cosign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.log.rekor.RekorClient;
import dev.airseal.signing.Signer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * {@code sign-blob} and {@code attest-blob}: signatures over files (releases that are not images),
 * logged in Rekor and packed into Sigstore bundles v0.3.
 */
public final class BlobSigner {
  private BlobSigner() {}

  /** What sign-blob produced: the raw signature and the bundle. */
  public record Signed(byte[] signature, ObjectNode bundle, Optional<RekorClient.LoggedEntry> entry) {}

  public static Signed signBlob(Path file, Signer signer, Optional<RekorClient> rekor) throws IOException {
    byte[] content = Files.readAllBytes(file);
    String digestName = signer.algorithm().digest();
    if (digestName == null) {
      throw new IllegalArgumentException(signer.algorithm() + " keys cannot sign hashedrekord digests");
    }
    byte[] digest = digest(file, digestName);
    byte[] signature = signer.sign(content);
    Optional<RekorClient.LoggedEntry> entry = Optional.empty();
    JsonNode rekorEntry = null;
    if (rekor.isPresent()) {
      entry = Optional.of(rekor.get().upload(ImageSigner.hashedRekord(signer, content, signature)));
      rekorEntry = entry.get().entry();
    }
    return new Signed(signature, SigstoreBundle.messageSignature(signer, digestName, digest, signature, rekorEntry), entry);
  }

  /** An in-toto statement about a file, in DSSE, logged as intoto 0.0.2, in a bundle. */
  public static ObjectNode attestBlob(
      Path file, Signer signer, String predicateType, JsonNode predicate, Optional<RekorClient> rekor)
      throws IOException {
    byte[] statement =
        InTotoStatement.statement(
            file.getFileName().toString(), dev.airseal.log.Hex.encode(digest(file, "SHA-256")),
            predicateType, predicate);
    DsseEnvelope env = DsseEnvelope.sign(signer, InTotoStatement.PAYLOAD_TYPE, statement);
    JsonNode rekorEntry = null;
    if (rekor.isPresent()) {
      rekorEntry = rekor.get().upload(ImageAttester.intoto(signer, env, env.json())).entry();
    }
    return SigstoreBundle.dsse(signer, env, rekorEntry);
  }

  private static byte[] digest(Path file, String alg) throws IOException {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance(alg))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return ((DigestInputStream) in).getMessageDigest().digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
