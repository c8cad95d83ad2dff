package dev.airseal.log.rekor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airseal.log.Hex;
import dev.airseal.log.LogKeys;
import dev.airseal.log.Rfc6962;
import dev.airseal.signing.Signer;
import dev.airseal.signing.soft.SoftwareSigner;
import dev.airseal.testing.TestEntries;
import dev.airseal.trust.TlogInstance;
import dev.airseal.trust.TrustedRoot;
import dev.airseal.trust.ValidFor;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** After a rotation the trust root, not the configuration, says which key the log signs with. */
class LogKeySelectionTest {
  private static final String URL = "http://log.site:8080";
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant S = Instant.parse("2026-06-01T00:00:00Z");

  private static TlogInstance tlog(String url, Signer s, ValidFor v) {
    byte[] der = s.publicKey().getEncoded();
    return new TlogInstance(url, "SHA2_256", s.publicKey(), "PKIX_ECDSA_P256_SHA_256", der, v, Rfc6962.sha256(der), null, "site");
  }

  private static String id(Signer s) {
    return Hex.encode(Rfc6962.sha256(s.publicKey().getEncoded()));
  }

  private final Signer old = new SoftwareSigner(TestEntries.p256());
  private final Signer rotated = new SoftwareSigner(TestEntries.p256());
  private final Signer elsewhere = new SoftwareSigner(TestEntries.p256());
  private final TrustedRoot root = new TrustedRoot(TrustedRoot.MEDIA_TYPE_V02,
      List.of(tlog(URL, rotated, ValidFor.from(S)), tlog(URL, old, new ValidFor(T0, S.minusSeconds(1))),
          tlog("https://rekor.sigstore.dev", elsewhere, ValidFor.from(T0))),
      List.of(), List.of(), List.of());

  @Test
  void rotatedKeyHeld_signsFromItsStart_theOldOneBefore_andOtherLogsAreNotOurs() {
    LogKeys keys = LogKeySelection.select(List.of(old, rotated), Optional.of(root));
    assertThat(keys.epochs()).extracting(LogKeys.Epoch::logIdHex).containsExactly(id(old), id(rotated));
    assertThat(keys.current().fromSecond()).isEqualTo(S.getEpochSecond());
    assertThat(keys.at(S.getEpochSecond() - 1).logIdHex()).isEqualTo(id(old));
    assertThat(LogKeySelection.missingCurrentKey(keys, "cfg")).isEmpty();
  }

  @Test
  void onlyTheRetiredKeyConfigured_isRefused_namingTheKeyNeeded() {
    LogKeys keys = LogKeySelection.select(List.of(old), Optional.of(root));
    assertThat(LogKeySelection.missingCurrentKey(keys, "pkcs11:token=site;object=log"))
        .hasValueSatisfying(m -> assertThat(m).contains(id(rotated)).contains("airseal.log.key"));
  }

  @Test
  void noRootYet_orARootWithoutThisLog_keepsTheConfiguredKey() {
    assertThat(LogKeySelection.select(List.of(old), Optional.empty()).current().logIdHex()).isEqualTo(id(old));
    Signer fresh = new SoftwareSigner(TestEntries.p256());
    assertThat(LogKeySelection.select(List.of(fresh), Optional.of(root)).epochs()).singleElement()
        .satisfies(e -> assertThat(e.logIdHex()).isEqualTo(id(fresh)));
  }
}
