package dev.airseal.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.airseal.bundle.BundleCreator;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code tags/list} with the distribution API's pagination, against a registry that pages by two. */
class RegistryTagsTest {
  private HttpServer server;
  private final List<String> asked = new ArrayList<>();

  private ImageReference start(Function<String, String[]> page) throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v2/", ex -> {
      String q = ex.getRequestURI().getRawQuery();
      asked.add(ex.getRequestURI().getPath() + "?" + q);
      String[] answer = page.apply(q == null ? "" : q); // {body, link or null}
      if (answer == null) {
        ex.sendResponseHeaders(404, -1);
        ex.close();
        return;
      }
      if (answer[1] != null) {
        ex.getResponseHeaders().add("Link", answer[1]);
      }
      byte[] b = answer[0].getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    server.start();
    return ImageReference.parse("127.0.0.1:" + server.getAddress().getPort() + "/team/app:latest");
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static RegistryClient client() {
    return new RegistryClient(new RegistryOptions(true, false, Optional.empty()));
  }

  @Test
  void everyPageIsFollowed_andCosignAttachmentTagsAreNotImages() throws Exception {
    String sig = "sha256-" + "ab".repeat(32) + ".sig";
    ImageReference repo = start(q -> {
      if (q.equals("n=1000")) {
        return new String[] {"{\"name\":\"team/app\",\"tags\":[\"1.0\",\"" + sig + "\"]}",
            "</v2/team/app/tags/list?n=1000&last=" + sig + ">; rel=\"next\""};
      }
      if (q.equals("n=1000&last=" + sig)) {
        return new String[] {
            "{\"name\":\"team/app\",\"tags\":[\"2.0\",\"sha256-" + "cd".repeat(32) + ".att\",\"latest\"]}", null};
      }
      return null;
    });
    List<String> tags = client().tags(repo);
    assertThat(tags).hasSize(5);
    assertThat(asked).hasSize(2);
    assertThat(BundleCreator.imageTags(tags)).containsExactly("1.0", "2.0", "latest");
  }

  @Test
  void aRepeatedPage_isRefused_ratherThanFollowedForever() throws Exception {
    ImageReference repo = start(q -> new String[] {"{\"tags\":[\"x\"]}", "</v2/team/app/tags/list?n=1000>; rel=\"next\""});
    assertThatThrownBy(() -> client().tags(repo)).isInstanceOf(RegistryException.class).hasMessageContaining("repeats");
  }

  @Test
  void aNextPageOnAnotherHost_isRefused() throws Exception {
    ImageReference repo = start(q -> new String[] {"{\"tags\":[\"x\"]}",
        "<http://elsewhere.example/v2/team/app/tags/list?last=x>; rel=\"next\""});
    assertThatThrownBy(() -> client().tags(repo)).isInstanceOf(RegistryException.class)
        .hasMessageContaining("points elsewhere");
  }

  @Test
  void anUnknownRepository_saysSo() throws Exception {
    ImageReference repo = start(q -> null);
    assertThatThrownBy(() -> client().tags(repo)).isInstanceOf(RegistryException.class)
        .hasMessageContaining("no repository");
  }
}
