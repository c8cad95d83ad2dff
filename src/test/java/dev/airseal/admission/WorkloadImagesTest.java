package dev.airseal.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkloadImagesTest {
  private static ObjectNode wrap(String kind, String... path) {
    ObjectNode o = Reviews.JSON.createObjectNode().put("kind", kind);
    ObjectNode at = o;
    for (String p : path) {
      at = at.putObject(p);
    }
    at.putArray("containers").addObject().put("name", "a").put("image", "reg.site/a:1");
    at.withArray("containers").addObject().put("name", "b").put("image", "reg.site/b:1");
    at.putArray("initContainers").addObject().put("name", "i").put("image", "reg.site/a:1");
    at.putArray("ephemeralContainers").addObject().put("name", "e").put("image", "reg.site/debug:1");
    return o;
  }

  @Test
  void everyWorkloadKind_yieldsContainersInitAndEphemeral_withPointersIntoItsPodSpec() {
    Map<String, String[]> kinds = Map.of(
        "Pod", new String[] {"spec"},
        "Deployment", new String[] {"spec", "template", "spec"},
        "ReplicaSet", new String[] {"spec", "template", "spec"},
        "StatefulSet", new String[] {"spec", "template", "spec"},
        "DaemonSet", new String[] {"spec", "template", "spec"},
        "Job", new String[] {"spec", "template", "spec"},
        "ReplicationController", new String[] {"spec", "template", "spec"},
        "CronJob", new String[] {"spec", "jobTemplate", "spec", "template", "spec"});
    kinds.forEach((kind, path) -> {
      String spec = "/" + String.join("/", path);
      assertThat(WorkloadImages.of(kind, wrap(kind, path))).as(kind).containsExactly(
          new WorkloadImages.ImageField("reg.site/a:1", spec + "/containers/0/image"),
          new WorkloadImages.ImageField("reg.site/b:1", spec + "/containers/1/image"),
          new WorkloadImages.ImageField("reg.site/a:1", spec + "/initContainers/0/image"),
          new WorkloadImages.ImageField("reg.site/debug:1", spec + "/ephemeralContainers/0/image"));
      assertThat(WorkloadImages.distinct(kind, wrap(kind, path))).as(kind)
          .containsExactly("reg.site/a:1", "reg.site/b:1", "reg.site/debug:1");
    });
  }

  @Test
  void otherKinds_andMissingObjects_haveNoImages() {
    assertThat(WorkloadImages.of("ConfigMap", wrap("ConfigMap", "spec"))).isEmpty();
    assertThat(WorkloadImages.of("Pod", null)).isEmpty();
    assertThat(WorkloadImages.supports("Service")).isFalse();
  }

  @Test
  void pointerTokens_escapeTildeAndSlash() {
    assertThat(JsonPatches.token("a/b~c")).isEqualTo("a~1b~0c");
  }
}
