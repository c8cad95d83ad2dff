package dev.airseal.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.OpenSsl;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import org.junit.jupiter.api.Test;

/**
 * The webhook's HTTPS listener gets BoringSSL: the packaged jar carries netty-tcnative for this
 * platform (a build that loses it would quietly fall back to the JDK's engine and its 3-9 ms p99).
 */
class HttpsTlsEngineTest {
  @Test
  void boringSsl_loadsHere_andServesTheHttpsListener() {
    assertThat(OpenSsl.isAvailable()).as("netty-tcnative: %s", OpenSsl.unavailabilityCause()).isTrue();
    HttpServerOptions options = new HttpServerOptions();
    new HttpsTlsEngine().customizeHttpsServer(options);
    assertThat(options.getSslEngineOptions()).isInstanceOf(OpenSSLEngineOptions.class);
  }

  @Test
  void anEngineChosenByConfiguration_isKept_andTheJdkOneGetsPooledBuffers() {
    HttpServerOptions options = new HttpServerOptions().setSslEngineOptions(new JdkSSLEngineOptions());
    new HttpsTlsEngine().customizeHttpsServer(options);
    assertThat(options.getSslEngineOptions()).isInstanceOfSatisfying(JdkSSLEngineOptions.class,
        jdk -> assertThat(jdk.isPooledHeapBuffers()).isTrue());
  }
}
