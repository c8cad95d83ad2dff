package dev.airseal.signing.pkcs11;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The child JVM of {@link SoftHsm}: runs one test class with JUnit Jupiter and writes each test
 * method's outcome (and failure trace) to the results file the parent reads.
 */
public final class SoftHsmChild {
  private SoftHsmChild() {}

  public static void main(String[] args) throws Exception {
    Properties results = new Properties();
    TestExecutionListener listener =
        new TestExecutionListener() {
          @Override
          public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (id.getSource().orElse(null) instanceof MethodSource m) {
              results.setProperty(m.getMethodName(), result.getStatus().name());
              result.getThrowable().ifPresent(t -> {
                StringWriter trace = new StringWriter();
                t.printStackTrace(new PrintWriter(trace));
                results.setProperty(m.getMethodName() + ".detail", trace.toString());
              });
            }
          }

          @Override
          public void executionSkipped(TestIdentifier id, String reason) {
            if (id.getSource().orElse(null) instanceof MethodSource m) {
              results.setProperty(m.getMethodName(), "ABORTED");
              results.setProperty(m.getMethodName() + ".detail", reason);
            }
          }
        };
    LauncherFactory.create()
        .execute(
            LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(Class.forName(args[0])))
                .filters(EngineFilter.includeEngines("junit-jupiter"))
                .build(),
            listener);
    try (OutputStream out = Files.newOutputStream(Path.of(System.getProperty(SoftHsm.RESULTS)))) {
      results.store(out, "results of " + args[0]);
    }
    System.exit(0);
  }
}
