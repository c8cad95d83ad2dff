package dev.airseal.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AwsLcTest {

  // The shipped jar carries the library for Linux on x86-64, the platform the tests and the
  // appliance run on: a build that lost it would quietly fall back to BouncyCastle's speed.
  @Test
  void servesOnThisPlatform() {
    assertThat(System.getProperty("os.name") + "/" + System.getProperty("os.arch")).isEqualTo("Linux/amd64");
    assertThat(AwsLc.provider()).as(AwsLc.engine()).isPresent();
    assertThat(AwsLc.engine()).startsWith("AWS-LC (Amazon Corretto Crypto Provider 2.");
  }

  @Test
  void turnedOff_bouncyCastleServes_andSaysWhy() {
    AwsLc.Loaded off = AwsLc.load(false);
    assertThat(off.provider()).isNull();
    assertThat(off.description()).isEqualTo("BouncyCastle (AWS-LC turned off by airseal.crypto.aws-lc=false)");
  }
}
