package dev.airseal.log;

import dev.airseal.log.store.JdbcLogStore;
import dev.airseal.signing.Signer;
import dev.airseal.signing.soft.SoftwareSigner;
import dev.airseal.testing.TestDatabases;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;

/** A database with the log schema, a fresh P-256 key, and a log over them. */
final class LogTestSupport {
  private LogTestSupport() {}

  static DataSource memoryDatabase() {
    return TestDatabases.create(TestDatabases.Kind.H2);
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
