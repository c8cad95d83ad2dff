package dev.airseal.admission;

import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The webhook endpoints the API server calls: {@code POST /validate} and {@code POST /mutate}, one
 * AdmissionReview {@code admission.k8s.io/v1} in, one out. A body that is not a review answers
 * 400, which the API server treats as a failed call (and, with {@code failurePolicy: Fail}, a
 * rejection).
 *
 * <p>Plain Vert.x routes rather than JAX-RS: a review whose verdicts are all cached is answered on
 * the event loop that read it, with no hand-off to a worker thread; one that needs the database or
 * a verification goes to a worker. This is the hottest path of the appliance (see
 * docs/admission.md, Performance).
 */
@ApplicationScoped
public class WebhookRoutes {
  // The listener accepts large bodies (transfer-bundle uploads); a review is read only up to the
  // most the API server sends (etcd objects are at most ~1.5 MiB, a review holds two).
  static final int MAX_REVIEW_BYTES = 8 << 20;

  @Inject AdmissionService admission;

  void routes(@Observes Router router) {
    router.post("/validate").handler(rc -> receive(rc, false));
    router.post("/mutate").handler(rc -> receive(rc, true));
  }

  private void receive(RoutingContext rc, boolean mutate) {
    HttpServerRequest req = rc.request();
    if (admission.requireTls() && !req.isSSL()) {
      text(rc, 403, "admission reviews are answered over HTTPS only (the HTTPS port, quarkus.http.ssl-port)");
      return;
    }
    if (admission.requireClientCertificate() && !hasClientCertificate(req)) {
      text(rc, 401, "admission reviews require a TLS client certificate");
      return;
    }
    String declared = req.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (declared != null && tooLong(declared)) {
      tooLarge(rc);
      return;
    }
    if (req.isEnded()) {
      // Read before this handler ran (a body handler earlier in the chain): take what it kept.
      Buffer read = rc.body() == null ? null : rc.body().buffer();
      if (read == null) {
        text(rc, 400, "the admission review's body was consumed before the webhook could read it");
      } else if (read.length() > MAX_REVIEW_BYTES) {
        tooLarge(rc);
      } else {
        answer(rc, read.getBytes(), mutate);
      }
      return;
    }
    Buffer body = Buffer.buffer();
    boolean[] over = {false};
    req.handler(chunk -> {
      if (over[0]) {
        return;
      }
      if (body.length() + chunk.length() > MAX_REVIEW_BYTES) {
        over[0] = true;
        tooLarge(rc);
        return;
      }
      body.appendBuffer(chunk);
    });
    req.exceptionHandler(e -> {
      if (!rc.response().ended()) {
        text(rc, 400, "cannot read the admission review: " + e.getMessage());
      }
    });
    req.endHandler(v -> {
      if (!over[0] && !rc.response().ended()) {
        answer(rc, body.getBytes(), mutate);
      }
    });
    req.resume();
  }

  private void answer(RoutingContext rc, byte[] body, boolean mutate) {
    long t0 = System.nanoTime();
    AdmissionRequest req;
    try {
      req = admission.parse(body);
    } catch (AdmissionReviewException e) {
      text(rc, 400, e.getMessage());
      return;
    }
    byte[] out = admission.answerFromMemory(req, mutate, t0);
    if (out != null) {
      json(rc, out);
      return;
    }
    // Needs the store or a verification: off the event loop.
    Infrastructure.getDefaultWorkerPool().execute(() -> {
      try {
        json(rc, admission.answer(req, mutate, t0));
      } catch (RuntimeException e) {
        // review() turns evaluation errors into fail-closed denials; this is a failure around it.
        text(rc, 500, "airseal could not answer the admission review: " + e);
      }
    });
  }

  private static boolean tooLong(String contentLength) {
    try {
      return Long.parseLong(contentLength.trim()) > MAX_REVIEW_BYTES;
    } catch (NumberFormatException e) {
      return false; // the body's own length decides
    }
  }

  private static void tooLarge(RoutingContext rc) {
    // The rest of the body is not read: close the connection after answering.
    rc.response().putHeader(HttpHeaders.CONNECTION, "close");
    text(rc, 413, "admission review exceeds " + MAX_REVIEW_BYTES + " bytes");
  }

  private static boolean hasClientCertificate(HttpServerRequest r) {
    try {
      return r.isSSL() && r.sslSession() != null && r.sslSession().getPeerCertificates().length > 0;
    } catch (SSLPeerUnverifiedException e) {
      return false;
    }
  }

  private static void json(RoutingContext rc, byte[] body) {
    HttpServerResponse r = rc.response();
    if (!r.ended()) {
      r.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(Buffer.buffer(body));
    }
  }

  private static void text(RoutingContext rc, int status, String message) {
    HttpServerResponse r = rc.response();
    if (!r.ended()) {
      r.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
          .end(Buffer.buffer((message + "\n").getBytes(StandardCharsets.UTF_8)));
    }
  }
}
