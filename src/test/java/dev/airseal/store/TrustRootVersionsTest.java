package dev.airseal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import dev.airseal.testing.TestDatabases;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Trust-root versions and the audit log over each supported database. */
class TrustRootVersionsTest {
  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void add_keepsEveryVersionAndAuditsEachChange(TestDatabases.Kind kind) {
    DataSource ds = TestDatabases.create(kind);
    TrustRootVersions v = new TrustRootVersions(ds);
    assertThat(v.current()).isEmpty();
    v.add(0, "{\"v\":1}".getBytes(StandardCharsets.UTF_8), "operator", "initial root");
    v.add(1, "{\"v\":2}".getBytes(StandardCharsets.UTF_8), "operator", "added public-good CA");
    assertThat(v.current().orElseThrow().version()).isEqualTo(2);
    assertThat(new String(v.get(1).orElseThrow().document(), StandardCharsets.UTF_8)).isEqualTo("{\"v\":1}");
    assertThat(v.history()).extracting(TrustRootVersions.Version::reason)
        .containsExactly("added public-good CA", "initial root");
    assertThat(new AuditLog(ds).recent("trust-root", 10)).hasSize(2)
        .first().satisfies(e -> assertThat(e.detail()).contains("added public-good CA"));
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void add_refusesAChangeBasedOnAnOlderVersion(TestDatabases.Kind kind) {
    DataSource ds = TestDatabases.create(kind);
    TrustRootVersions v = new TrustRootVersions(ds);
    v.add(0, "{}".getBytes(StandardCharsets.UTF_8), "a", "first");
    assertThatThrownBy(() -> v.add(0, "{}".getBytes(StandardCharsets.UTF_8), "b", "racing"))
        .hasMessageContaining("now at version 1");
    assertThat(v.history()).hasSize(1);
    assertThat(new AuditLog(ds).recent(null, 10)).hasSize(1);
  }
}
