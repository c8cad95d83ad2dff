package dev.airseal.api;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The HTTPS listener (the admission webhook) takes its TLS buffers from Netty's pooled allocator.
 *
 * <p>With the JDK's SSLEngine, Netty wraps every flush into a fresh buffer of the engine's packet
 * size (about 17 KB, however short the answer), and Vert.x's default allocator makes those
 * unpooled heap arrays: 40% of what the service allocated per warm admission, which the young
 * collector then had to reclaim at 5,000 reviews a second (docs/admission.md, Performance).
 * Pooled, they are reused from the event loop's cache. Vert.x still copies what it hands to
 * handlers into unpooled buffers, so no pooled buffer escapes to our code. This is the same switch
 * as Quarkus's {@code -Dquarkus.http.server.ssl.jdk.bufferPooling=true}, made here so it needs no
 * flag.
 */
@ApplicationScoped
public class PooledTlsBuffers implements HttpServerOptionsCustomizer {
  @Override
  public void customizeHttpsServer(HttpServerOptions options) {
    if (options.getSslEngineOptions() == null) {
      options.setSslEngineOptions(new JdkSSLEngineOptions().setPooledHeapBuffers(true));
    } else if (options.getSslEngineOptions() instanceof JdkSSLEngineOptions jdk) {
      jdk.setPooledHeapBuffers(true);
    }
    // Another engine (OpenSSL through netty-tcnative, not shipped) allocates its own way.
  }
}
