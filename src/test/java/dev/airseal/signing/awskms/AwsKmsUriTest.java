package dev.airseal.signing.awskms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AwsKmsUriTest {
  private static final Map<String, String> NO_ENV = Map.of();
  private static final String ID = "1234abcd-12ab-34cd-56ef-1234567890ab";

  @Test
  void parse_aliasName() {
    AwsKmsUri u = AwsKmsUri.parse("awskms:///alias/cosign", NO_ENV);
    assertThat(u.keyId()).isEqualTo("alias/cosign");
    assertThat(u.region()).isEmpty();
    assertThat(u.endpoint()).isEmpty();
    assertThat(u.alias()).contains("alias/cosign");
    assertThat(u).hasToString("awskms:///alias/cosign");
  }

  @Test
  void parse_keyIdAndMultiRegionKeyId() {
    assertThat(AwsKmsUri.parse("awskms:///" + ID, NO_ENV).keyId()).isEqualTo(ID);
    String mrk = "mrk-1234abcd12ab34cd56ef1234567890ab";
    assertThat(AwsKmsUri.parse("awskms:///" + mrk, NO_ENV).keyId()).isEqualTo(mrk);
    assertThat(AwsKmsUri.parse("awskms:///" + ID, NO_ENV).alias()).isEmpty();
  }

  @Test
  void parse_keyArn_takesRegionFromArn() {
    String arn = "arn:aws:kms:eu-west-3:111122223333:key/" + ID;
    AwsKmsUri u = AwsKmsUri.parse("awskms:///" + arn, NO_ENV);
    assertThat(u.keyId()).isEqualTo(arn);
    assertThat(u.region()).contains("eu-west-3");
    assertThat(u.alias()).isEmpty();
  }

  @Test
  void parse_aliasArn() {
    String arn = "arn:aws-us-gov:kms:us-gov-west-1:111122223333:alias/signing";
    AwsKmsUri u = AwsKmsUri.parse("awskms:///" + arn, NO_ENV);
    assertThat(u.region()).contains("us-gov-west-1");
    assertThat(u.alias()).contains("alias/signing");
  }

  @Test
  void parse_customEndpoint_isHttpsUnlessHttpAllowed() {
    AwsKmsUri u = AwsKmsUri.parse("awskms://kms.local:4566/alias/x", NO_ENV);
    assertThat(u.endpoint()).contains(URI.create("https://kms.local:4566"));
    assertThat(u).hasToString("awskms://kms.local:4566/alias/x");
    AwsKmsUri h =
        AwsKmsUri.parse(
            "awskms://127.0.0.1:4566/alias/x", Map.of("AIRSEAL_KMS_ALLOW_HTTP", "true"));
    assertThat(h.endpoint()).contains(URI.create("http://127.0.0.1:4566"));
    AwsKmsUri no =
        AwsKmsUri.parse("awskms://127.0.0.1:4566/alias/x", Map.of("AIRSEAL_KMS_ALLOW_HTTP", "1"));
    assertThat(no.endpoint()).contains(URI.create("https://127.0.0.1:4566"));
    assertThat(AwsKmsUri.parse("awskms:///alias/x", NO_ENV).endpoint()).isEqualTo(Optional.empty());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "awskms://",
        "awskms:alias/x",
        "awskms:///",
        "awskms:///alias/",
        "awskms:///alias/has space",
        "awskms:///not-a-uuid",
        "awskms:///1234abcd-12ab-34cd-56ef-1234567890",
        "awskms:///arn:aws:kms:us-east-1:1111:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "awskms:///arn:aws:kms:us-east-1:111122223333:key/nope",
        "awskms:///arn:aws:s3:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "awskms://host/with/path/alias/x",
        "awskms://user@host/alias/x",
        "gcpkms://projects/p/locations/l/keyRings/r/cryptoKeys/k",
      })
  void parse_rejectsMalformed(String uri) {
    assertThatThrownBy(() -> AwsKmsUri.parse(uri, NO_ENV))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("malformed AWS KMS key reference")
        .hasMessageContaining("expected awskms://[HOST:PORT]/KEY");
  }
}
