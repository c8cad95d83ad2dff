package dev.airseal.tsa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airseal.signing.Signer;
import dev.airseal.signing.soft.SoftwareSigner;
import dev.airseal.testing.TestEntries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsaChainFileTest {
  private static final TsaCertificates.Names NAMES =
      new TsaCertificates.Names("Site", "Site TSA Root", "Site TSA");
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  @TempDir Path dir;

  private TsaChain open(Signer key, Instant at) throws Exception {
    return TsaChainFile.loadOrIssue(dir.resolve("tsa-chain.pem"), dir.resolve("tsa-root-key.pem"),
        key, NAMES, Duration.ofDays(365), Clock.fixed(at, ZoneOffset.UTC));
  }

  @Test
  void loadOrIssue_issuesOnce_thenReadsTheSameChain() throws Exception {
    Signer key = new SoftwareSigner(TestEntries.p256());
    TsaChain first = open(key, NOW);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("tsa-root-key.pem"))))
        .isEqualTo("rw-------");
    assertThat(first.root().getSubject().toString()).isEqualTo("O=Site,CN=Site TSA Root");
    assertThat(first.leaf().getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(365)));
    assertThat(open(key, NOW.plusSeconds(60)).certificates()).isEqualTo(first.certificates());
  }

  @Test
  void loadOrIssue_refusesAChainForAnotherKey() throws Exception {
    open(new SoftwareSigner(TestEntries.p256()), NOW);
    Signer other = new SoftwareSigner(TestEntries.p256());
    assertThatThrownBy(() -> open(other, NOW))
        .isInstanceOf(TsaChainException.class)
        .hasMessageContaining("another key").hasMessageContaining("move the file away");
    String pem = Files.readString(dir.resolve("tsa-chain.pem"));
    assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----");
  }

  @Test
  void loadOrIssue_refusesAnExpiredChain() throws Exception {
    Signer key = new SoftwareSigner(TestEntries.p256());
    open(key, NOW);
    assertThatThrownBy(() -> open(key, NOW.plus(Duration.ofDays(400))))
        .isInstanceOf(TsaChainException.class).hasMessageContaining("not at");
  }
}
