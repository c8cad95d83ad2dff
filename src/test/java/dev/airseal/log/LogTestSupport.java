package dev.airseal.log;

import dev.airseal.log.store.JdbcLogStore;
import dev.airseal.signing.Signer;
import dev.airseal.signing.soft.SoftwareSigner;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;

/** An H2 database with the log schema, a fresh P-256 key, and a log over them. */
final class LogTestSupport {
  private LogTestSupport() {}

  static DataSource memoryDatabase() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    Flyway.configure().dataSource(ds).load().migrate();
    return ds;
  }

  static Signer newSigner() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return new SoftwareSigner(g.generateKeyPair());
  }

  static TransparencyLog open(DataSource ds, Signer signer, int batchSize) {
    return open(ds, signer, batchSize, Duration.ofMillis(50));
  }

  static TransparencyLog open(DataSource ds, Signer signer, int batchSize, Duration indexInterval) {
    return TransparencyLog.open(
        new JdbcLogStore(ds),
        signer,
        new TransparencyLog.Settings(
            "test.example", batchSize, Duration.ofMillis(2), 10_000, 64, indexInterval),
        (index, time, body) -> signer.sign(body),
        Clock.systemUTC());
  }
}
