package dev.airseal.signing.awskms;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cosign AWS KMS key reference, {@code awskms://[HOST:PORT]/KEY}, where KEY is a key id, a key
 * ARN, {@code alias/NAME} or an alias ARN (the forms of sigstore/pkg/signature/kms/aws).
 *
 * <p>A host names a KMS-compatible endpoint reached over {@code https://HOST:PORT}, as cosign does;
 * {@code AIRSEAL_KMS_ALLOW_HTTP=true} in the environment switches it to plain {@code http://} (for
 * a local KMS stand-in, never for a real one). Without a host the SDK's regional endpoint is used.
 *
 * @param keyId what KMS is sent as {@code KeyId}: a key id, key ARN, alias name or alias ARN
 * @param region the region of an ARN; empty for key ids and alias names
 * @param endpoint the endpoint override; empty for the SDK's regional endpoint
 */
public record AwsKmsUri(String keyId, Optional<String> region, Optional<URI> endpoint) {
  public static final String SCHEME = "awskms://";
  public static final String ALLOW_HTTP_ENV = "AIRSEAL_KMS_ALLOW_HTTP";

  private static final String FORMS =
      "awskms://[HOST:PORT]/KEY where KEY is a key id, arn:aws:kms:REGION:ACCOUNT:key/ID,"
          + " alias/NAME or arn:aws:kms:REGION:ACCOUNT:alias/NAME";
  // Key ids are UUIDs; multi-Region keys are "mrk-" and 32 hex digits.
  private static final Pattern KEY_ID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
              + "|mrk-[0-9a-fA-F]{32}");
  // Alias names: "alias/" then letters, digits, "/_-"; "alias/aws/" is reserved for AWS.
  private static final Pattern ALIAS = Pattern.compile("alias/[A-Za-z0-9/_-]{1,250}");
  private static final Pattern ARN =
      Pattern.compile("arn:(aws|aws-cn|aws-us-gov|aws-iso[a-z-]*):kms:([a-z0-9-]+):(\\d{12}):(.+)");
  private static final Pattern HOST_PORT =
      Pattern.compile("[A-Za-z0-9.-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+\\](:\\d{1,5})?");

  public AwsKmsUri {
    if (keyId == null || keyId.isEmpty()) {
      throw new IllegalArgumentException("a KMS key id is required");
    }
  }

  public static AwsKmsUri parse(String uri) {
    return parse(uri, System.getenv());
  }

  static AwsKmsUri parse(String uri, Map<String, String> env) {
    if (uri == null || !uri.startsWith(SCHEME)) {
      throw malformed(uri, "it does not start with " + SCHEME);
    }
    String rest = uri.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    if (slash < 0) {
      throw malformed(uri, "the key is missing after the host");
    }
    String host = rest.substring(0, slash);
    String key = rest.substring(slash + 1);
    Optional<URI> endpoint = Optional.empty();
    if (!host.isEmpty()) {
      if (!HOST_PORT.matcher(host).matches()) {
        throw malformed(uri, "'" + host + "' is not a HOST or HOST:PORT");
      }
      boolean http = "true".equalsIgnoreCase(env.getOrDefault(ALLOW_HTTP_ENV, ""));
      endpoint = Optional.of(URI.create((http ? "http://" : "https://") + host));
    }
    if (KEY_ID.matcher(key).matches()) {
      return new AwsKmsUri(key, Optional.empty(), endpoint);
    }
    if (key.startsWith("alias/")) {
      if (!ALIAS.matcher(key).matches()) {
        throw malformed(uri, "'" + key + "' is not an alias name (letters, digits, /_-)");
      }
      return new AwsKmsUri(key, Optional.empty(), endpoint);
    }
    Matcher arn = ARN.matcher(key);
    if (arn.matches()) {
      String resource = arn.group(4);
      boolean keyArn =
          resource.startsWith("key/") && KEY_ID.matcher(resource.substring(4)).matches();
      boolean aliasArn = ALIAS.matcher(resource).matches();
      if (!keyArn && !aliasArn) {
        throw malformed(uri, "the ARN names '" + resource + "', not key/ID or alias/NAME");
      }
      return new AwsKmsUri(key, Optional.of(arn.group(2)), endpoint);
    }
    if (key.startsWith("arn:")) {
      throw malformed(uri, "the ARN is not arn:PARTITION:kms:REGION:ACCOUNT:RESOURCE");
    }
    throw malformed(uri, "'" + key + "' is not a key id (UUID), ARN or alias/NAME");
  }

  /** The alias this reference names ({@code alias/NAME}, also inside an alias ARN). */
  public Optional<String> alias() {
    int at = keyId.indexOf("alias/");
    if (at == 0 || (at > 0 && keyId.startsWith("arn:"))) {
      return Optional.of(keyId.substring(at));
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return SCHEME + endpoint.map(URI::getAuthority).orElse("") + "/" + keyId;
  }

  private static IllegalArgumentException malformed(String uri, String why) {
    return new IllegalArgumentException(
        "malformed AWS KMS key reference '" + uri + "': " + why + " (expected " + FORMS + ")");
  }
}
