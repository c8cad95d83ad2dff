package dev.airseal.api;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.netty.handler.ssl.OpenSsl;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The HTTPS listener's (the admission webhook's) TLS engine: BoringSSL through netty-tcnative where
 * its native library loads, else the JDK's SSLEngine with pooled buffers.
 *
 * <p>BoringSSL: with the JDK's engine a trivial answer over HTTPS had a p99 of 3.5-9 ms at 5,000
 * requests a second on two cores and a p99.9 of 80 ms, against 0.6 ms over plain HTTP; with
 * BoringSSL, 0.9-1.8 ms (docs/admission.md, Performance). The jar carries the library for Linux and
 * macOS on x86-64 and arm64; elsewhere, or where it cannot be extracted (a {@code noexec} temporary
 * directory), the JDK's engine serves, and the start-up log says which.
 *
 * <p>Pooled buffers for the JDK's engine: Netty wraps every flush into a fresh buffer of the
 * engine's packet size (about 17 KB, however short the answer), and Vert.x's default allocator
 * makes those unpooled heap arrays, 40% of what the service allocated per warm admission. Pooled,
 * they are reused from the event loop's cache (Quarkus's {@code
 * -Dquarkus.http.server.ssl.jdk.bufferPooling=true}, made here so it needs no flag).
 */
@ApplicationScoped
public class HttpsTlsEngine implements HttpServerOptionsCustomizer {
  private static final Logger LOG = Logger.getLogger(HttpsTlsEngine.class);

  @Override
  public void customizeHttpsServer(HttpServerOptions options) {
    if (options.getSslEngineOptions() == null && OpenSsl.isAvailable()) {
      options.setSslEngineOptions(new OpenSSLEngineOptions());
      LOG.infof("HTTPS listener: TLS by %s (netty-tcnative)", OpenSsl.versionString());
      return;
    }
    if (options.getSslEngineOptions() == null) {
      LOG.infof("HTTPS listener: TLS by the JDK's SSLEngine (BoringSSL unavailable: %s)", OpenSsl.unavailabilityCause());
      options.setSslEngineOptions(new JdkSSLEngineOptions().setPooledHeapBuffers(true));
    } else if (options.getSslEngineOptions() instanceof JdkSSLEngineOptions jdk) {
      jdk.setPooledHeapBuffers(true);
    }
  }
}
