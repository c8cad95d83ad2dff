package dev.airseal.peers;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.airseal.testing.Peers;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cosign's TUF client (Go) initialises from the appliance's mirror and its version-1 root. */
@QuarkusTest
class CosignTufPeerTest {
  @TestHTTPResource("/tuf")
  URL mirror;

  @TempDir Path home;

  @Test
  void cosignInitialize_fromOurMirror_fetchesOurTrustedRoot() throws Exception {
    Path root = home.resolve("1.root.json");
    Files.write(root, given().get("/tuf/1.root.json").then().statusCode(200).extract().asByteArray());
    Peers.Result r = Peers.peer(home, "cosign", "initialize", "--mirror", mirror.toString(), "--root", root.toString())
        .run().succeeded();
    System.out.println(r.describe());
    byte[] served = given().get("/api/v1/trust-root").then().statusCode(200).extract().asByteArray();
    List<Path> copies;
    try (Stream<Path> files = Files.walk(home.resolve(".sigstore"))) {
      copies = files.filter(p -> p.getFileName().toString().equals("trusted_root.json")).toList();
    }
    System.out.println("trusted_root.json in cosign's cache: " + copies);
    assertThat(copies).isNotEmpty();
    for (Path p : copies) {
      assertThat(Arrays.equals(Files.readAllBytes(p), served)).as(p.toString()).isTrue();
    }
  }

  @Test
  void afterRootRotation_cosignHoldingVersionOne_followsTheChain() throws Exception {
    Path root = home.resolve("1.root.json");
    Files.write(root, given().get("/tuf/1.root.json").then().statusCode(200).extract().asByteArray());
    given().contentType("application/json").body("{\"reason\":\"cosign peer: rotate the root key\"}")
        .post("/api/v1/tuf/rotate-root").then().statusCode(200);
    Path fresh = Files.createDirectories(home.resolve("fresh"));
    Peers.Result r = Peers.peer(fresh, "cosign", "initialize", "--mirror", mirror.toString(), "--root", root.toString())
        .run().succeeded();
    int latest = given().get("/api/v1/tuf/status").then().statusCode(200).extract().path("root");
    // cosign prints "Root status:" and its TUF client's view as JSON.
    JsonNode status = new ObjectMapper().readTree(r.stdout().substring(r.stdout().indexOf('{')));
    assertThat(status.at("/metadata/root.json/version").asInt()).as(r.describe()).isEqualTo(latest);
    assertThat(status.at("/metadata/timestamp.json/error").asText()).isEmpty();
  }
}
