package dev.airseal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

class TrustRootVersionsTest {
  private static DataSource db() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    Flyway.configure().dataSource(ds).load().migrate();
    return ds;
  }

  @Test
  void add_keepsEveryVersionAndAuditsEachChange() {
    DataSource ds = db();
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

  @Test
  void add_refusesAChangeBasedOnAnOlderVersion() {
    DataSource ds = db();
    TrustRootVersions v = new TrustRootVersions(ds);
    v.add(0, "{}".getBytes(StandardCharsets.UTF_8), "a", "first");
    assertThatThrownBy(() -> v.add(0, "{}".getBytes(StandardCharsets.UTF_8), "b", "racing"))
        .hasMessageContaining("now at version 1");
    assertThat(v.history()).hasSize(1);
    assertThat(new AuditLog(ds).recent(null, 10)).hasSize(1);
  }
}
