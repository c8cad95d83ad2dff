package dev.airseal.signing.awskms;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;

/**
 * How we reach KMS: credentials, the region for references without an ARN, and the environment read
 * by {@link AwsKmsUri}. Production uses the SDK's default chains; tests inject static ones (the
 * chains read environment variables a test cannot set in-process).
 */
record KmsAccess(
    AwsCredentialsProvider credentials, Supplier<Region> defaultRegion, Map<String, String> env) {

  // The SDK retries 5xx and throttling 3 times (4 attempts) with backoff by default. A signer sits
  // in a request path (admission, signing API): fail within seconds rather than stall it.
  static final int MAX_ATTEMPTS = 3;
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(4);
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  static KmsAccess defaults() {
    return new KmsAccess(
        DefaultCredentialsProvider.builder().build(),
        () -> new DefaultAwsRegionProviderChain().getRegion(),
        System.getenv());
  }

  KmsClient client(AwsKmsUri uri) {
    KmsClientBuilder b =
        KmsClient.builder()
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(CONNECT_TIMEOUT)
                    .socketTimeout(ATTEMPT_TIMEOUT))
            .credentialsProvider(credentials)
            .region(region(uri))
            .overrideConfiguration(
                o ->
                    o.apiCallTimeout(CALL_TIMEOUT)
                        .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                        .retryStrategy(
                            AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(MAX_ATTEMPTS)
                                .build()));
    uri.endpoint().ifPresent(b::endpointOverride);
    return b.build();
  }

  private Region region(AwsKmsUri uri) {
    if (uri.region().isPresent()) {
      return Region.of(uri.region().get());
    }
    try {
      return defaultRegion.get();
    } catch (SdkClientException e) {
      throw new KmsSignerException(
          uri.toString(),
          "client setup",
          "no AWS region: set AWS_REGION (or a region in the AWS profile), or name the key by ARN");
    }
  }
}
