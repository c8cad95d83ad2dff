package dev.airseal.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The admission bench's wrk script: a paced phase offers its rate, whatever the connections. */
class WrkDriverTest {
  @Test
  void paced_offersTheRate_unpaced_runsAsFastAsAnswersCome() throws Exception {
    Assumptions.assumeTrue(WrkDriver.find().isPresent(), "wrk is not installed");
    byte[] allowed = "{\"response\":{\"allowed\":true}}".getBytes(StandardCharsets.UTF_8);
    // Vert.x, not the JDK's server: that one answers small bodies at Nagle's pace, ~25/s a connection.
    Vertx vertx = Vertx.vertx();
    HttpServer server = vertx.createHttpServer()
        .requestHandler(r -> r.body().onSuccess(b -> r.response().end(Buffer.buffer(allowed))))
        .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
    Path dir = Files.createTempDirectory("wrk-driver");
    try {
      String base = "http://127.0.0.1:" + server.actualPort();
      List<byte[]> bodies = List.of("{\"kind\":\"AdmissionReview\"}".getBytes(StandardCharsets.UTF_8));
      // 16 connections could carry thousands a second here; the schedule holds them to 300.
      AdmissionLoad.Phase paced = WrkDriver.run(List.of(), WrkDriver.find().get(), "paced", dir, base, "/validate", bodies, 16, 2, 300);
      assertThat(paced.perSecond()).isBetween(240.0, 330.0);
      AdmissionLoad.Phase unpaced = WrkDriver.run(List.of(), WrkDriver.find().get(), "unpaced", dir, base, "/validate", bodies, 4, 2, 0);
      assertThat(unpaced.perSecond()).isGreaterThan(600.0);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
      LogBench.deleteTree(dir);
    }
  }
}
