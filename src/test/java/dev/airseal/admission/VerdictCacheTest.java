package dev.airseal.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airseal.oci.Digest;
import dev.airseal.policy.CheckResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class VerdictCacheTest {
  private static final Digest D = Digest.of("image".getBytes(StandardCharsets.UTF_8));
  private static final CheckResult PASS = new CheckResult(true, "", List.of(), Optional.of(D.toString()));

  private static VerdictCache.Key key(long evidenceVersion) {
    return new VerdictCache.Key("reg/app@" + D, D, "p1", "policy", "rule", 0, evidenceVersion, 1);
  }

  @Test
  void concurrentMissesOfOneKey_shareOneVerification() throws Exception {
    VerdictCache cache = new VerdictCache(100);
    AtomicInteger verifications = new AtomicInteger();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<CheckResult> first = CompletableFuture.supplyAsync(() -> cache.verifyOnce(key(1), () -> {
      verifications.incrementAndGet();
      started.countDown();
      await(release);
      return PASS;
    }));
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<CheckResult> second = CompletableFuture.supplyAsync(() -> cache.verifyOnce(key(1), () -> {
      verifications.incrementAndGet();
      return PASS;
    }));
    Thread.sleep(100); // the second caller is now waiting on the first's verification
    assertThat(second).isNotDone();
    release.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS)).isSameAs(PASS);
    assertThat(second.get(10, TimeUnit.SECONDS)).isSameAs(PASS);
    assertThat(verifications).hasValue(1);
    assertThat(cache.shared.sum()).isEqualTo(1);
    assertThat(cache.get(key(1))).isSameAs(PASS);
  }

  @Test
  void aFailedVerification_isNotCached_andTheNextCallTriesAgain() {
    VerdictCache cache = new VerdictCache(100);
    assertThatThrownBy(() -> cache.verifyOnce(key(1), () -> {
      throw new IllegalStateException("store unreadable");
    })).hasMessage("store unreadable");
    assertThat(cache.get(key(1))).isNull();
    assertThat(cache.verifyOnce(key(1), () -> PASS)).isSameAs(PASS);
  }

  @Test
  void differentEvidenceVersions_areDifferentVerdicts() {
    VerdictCache cache = new VerdictCache(100);
    cache.verifyOnce(key(1), () -> PASS);
    assertThat(cache.get(key(2))).isNull();
    cache.invalidate(D);
    assertThat(cache.get(key(1))).isNull();
  }

  private static void await(CountDownLatch l) {
    try {
      l.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
