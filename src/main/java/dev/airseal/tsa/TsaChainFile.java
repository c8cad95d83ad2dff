package dev.airseal.tsa;

import dev.airseal.signing.Signer;
import dev.airseal.signing.soft.KeyFiles;
import dev.airseal.signing.soft.SoftwareSigner;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

/**
 * The TSA chain file ({@code tsa-chain.pem}, leaf first): read and checked when it exists, issued
 * under a software root key ({@code tsa-root-key.pem}, 0600) on first start otherwise.
 */
public final class TsaChainFile {
  private TsaChainFile() {}

  /**
   * The chain at {@code chainFile} for {@code tsaKey}, issued and written first if the file does
   * not exist. An existing chain is never replaced: verifiers pin its root, so a chain for another
   * key or an expired one stops start-up and the operator decides.
   */
  public static TsaChain loadOrIssue(
      Path chainFile,
      Path rootKeyFile,
      Signer tsaKey,
      TsaCertificates.Names names,
      Duration validity,
      Clock clock)
      throws IOException, TsaChainException {
    if (!Files.exists(chainFile)) {
      Signer root = new SoftwareSigner(KeyFiles.loadOrCreateEcKey(rootKeyFile));
      TsaChain issued =
          TsaCertificates.issue(
              root, tsaKey.publicKey(), names, clock.instant(), validity, new SecureRandom());
      write(chainFile, issued.toPem());
    }
    TsaChain chain;
    try {
      chain = TsaChain.parsePem(Files.readString(chainFile, StandardCharsets.US_ASCII));
    } catch (TsaChainException e) {
      throw new TsaChainException(chainFile + ": " + e.getMessage(), e);
    }
    try {
      chain.checkUsableFor(tsaKey.publicKey(), clock.instant());
    } catch (TsaChainException e) {
      throw new TsaChainException(
          chainFile + ": " + e.getMessage() + "; move the file away to issue a new chain (and"
              + " give verifiers the new root)", e);
    }
    return chain;
  }

  // Readers never see a partial chain: written to a temporary file, fsync'd, moved into place.
  private static void write(Path file, String pem) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, pem, StandardCharsets.US_ASCII);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
  }
}
