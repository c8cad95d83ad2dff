package dev.airseal.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.oci.Digest;
import dev.airseal.oci.ImageReference;
import dev.airseal.policy.CheckResult;
import dev.airseal.trust.TrustedRoot;
import dev.airseal.verify.oci.ImageSource;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every {@link AdmissionControllerTest} case again with a request's verifications spread over a
 * pool, plus proof that they do run side by side.
 */
class AdmissionControllerParallelTest extends AdmissionControllerTest {
  private final ExecutorService pool = Executors.newFixedThreadPool(2);

  @Override
  Executor verifiers() {
    return pool;
  }

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  @Test
  void aPodsUncachedImages_verifyAtTheSameTime() {
    Digest a = Digest.of("a".getBytes(StandardCharsets.UTF_8));
    Digest b = Digest.of("b".getBytes(StandardCharsets.UTF_8));
    Digest c = Digest.of("c".getBytes(StandardCharsets.UTF_8));
    // Three verifications that each wait for the other two: only concurrent runs get through.
    CyclicBarrier together = new CyclicBarrier(3);
    DigestSetCheck check = new DigestSetCheck(Set.of(a, b, c), true, false) {
      @Override
      public CheckResult verify(ImageReference image, Digest digest, ImageSource source, TrustedRoot root, Instant now) {
        try {
          together.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new IllegalStateException("verifications did not run side by side: " + e);
        }
        return super.verify(image, digest, source, root, now);
      }
    };
    ObjectNode pod = Reviews.pod("p", REPO + "@" + a, REPO + "@" + b, REPO + "@" + c);
    Decision d = controller(new OnePolicy("v1", check)).decide(request("CREATE", "default", pod, null), false);
    assertThat(d.allowed()).as(d.message()).isTrue();
    assertThat(check.calls).hasValue(3);
    assertThat(d.detail().path("images")).hasSize(3);
    List<String> order = List.of(a.toString(), b.toString(), c.toString());
    for (int i = 0; i < 3; i++) {
      assertThat(d.detail().path("images").get(i).path("digest").asText()).as("images keep the pod's order").isEqualTo(order.get(i));
    }
  }
}
