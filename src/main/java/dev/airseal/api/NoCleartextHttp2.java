package dev.airseal.api;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The plain listener speaks HTTP/1.1 only: no {@code Upgrade: h2c}, no prior-knowledge HTTP/2.
 *
 * <p>Vert.x answers an upgrade request only after it has the whole request, so it holds the body
 * in the heap; Java's {@code HttpClient} asks for the upgrade on its first request by default. A
 * bundle upload larger than the heap (a 512 MiB carried image against -Xmx256m) then ran the
 * service out of memory, and any client could do the same to any endpoint before authentication.
 * Without the upgrade the body streams with back-pressure to the endpoint that reads it. HTTP/2
 * over TLS (ALPN, the webhook listener) is unaffected: it is negotiated before any request.
 */
@ApplicationScoped
public class NoCleartextHttp2 implements HttpServerOptionsCustomizer {
  @Override
  public void customizeHttpServer(HttpServerOptions options) {
    options.setHttp2ClearTextEnabled(false);
  }
}
