package dev.airseal.verify.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.airseal.testing.Tally;
import dev.airseal.testing.Vectors;
import dev.airseal.verify.VerificationException;
import java.security.cert.X509Certificate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * sigstore-python's x509 classification certificates (test_utils.py): expected answers to "is a
 * CA", "is a root CA", "is a leaf", where ERROR means the certificate is refused as invalid.
 */
class CertificateRolesVectorsTest {
  private static final Tally TALLY = new Tally("sigstore-python x509 roles");

  enum Question { CA, ROOT, LEAF }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("bogus-root.pem", Question.CA, "yes"),
        Arguments.of("bogus-root.pem", Question.ROOT, "yes"),
        Arguments.of("bogus-root.pem", Question.LEAF, "no"),
        Arguments.of("bogus-intermediate.pem", Question.CA, "yes"),
        Arguments.of("bogus-intermediate.pem", Question.ROOT, "no"),
        Arguments.of("bogus-intermediate.pem", Question.LEAF, "no"),
        Arguments.of("bogus-intermediate-with-eku.pem", Question.LEAF, "no"),
        Arguments.of("bogus-leaf.pem", Question.CA, "no"),
        Arguments.of("bogus-leaf.pem", Question.LEAF, "yes"),
        Arguments.of("bogus-leaf-invalid-eku.pem", Question.LEAF, "no"),
        Arguments.of("bogus-root-noncritical-bc.pem", Question.CA, "error"),
        Arguments.of("bogus-root-invalid-ku.pem", Question.CA, "error"),
        Arguments.of("bogus-root-missing-ku.pem", Question.CA, "error"),
        Arguments.of("bogus-leaf-invalid-ku.pem", Question.LEAF, "error"),
        Arguments.of("bogus-leaf-missing-eku.pem", Question.LEAF, "error"));
  }

  @ParameterizedTest(name = "{0} is {1}: {2}")
  @MethodSource("cases")
  void classify(String file, Question q, String expected) throws Exception {
    X509Certificate c = Pem.cert(Vectors.dir("sigstore-python").resolve("assets/x509").resolve(file));
    if (expected.equals("error")) {
      assertThatThrownBy(() -> ask(c, q))
          .isInstanceOf(VerificationException.class)
          .hasMessageContaining("invalid X.509 certificate");
      TALLY.rejected();
      return;
    }
    assertThat(ask(c, q)).isEqualTo(expected.equals("yes"));
    TALLY.checked();
  }

  private static boolean ask(X509Certificate c, Question q) throws VerificationException {
    return switch (q) {
      case CA -> CertificateRoles.isCa(c);
      case ROOT -> CertificateRoles.isRootCa(c);
      case LEAF -> CertificateRoles.isLeaf(c);
    };
  }

  @AfterAll
  static void tally() {
    TALLY.print();
  }
}
