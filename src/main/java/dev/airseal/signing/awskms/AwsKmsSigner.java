package dev.airseal.signing.awskms;

import dev.airseal.signing.SignatureAlgorithm;
import dev.airseal.signing.Signer;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.function.Supplier;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.CreateKeyResponse;
import software.amazon.awssdk.services.kms.model.GetPublicKeyResponse;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.SignResponse;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * A key held in AWS KMS (or a KMS-compatible endpoint), named by a cosign {@code awskms://} URI.
 *
 * <p>The public key is fetched once at open. Messages are hashed here and KMS signs the digest;
 * every signature KMS returns is verified against that public key before it is handed out, so a KMS
 * that answers with a wrong key or a wrong signature fails the call instead of producing an
 * artifact nobody can verify.
 */
public final class AwsKmsSigner implements Signer, AutoCloseable {
  private static final Provider BC = new BouncyCastleProvider();

  private final KmsClient kms;
  private final String ref;
  private final String keyArn;
  private final PublicKey publicKey;
  private final SignatureAlgorithm algorithm;
  private final SigningAlgorithmSpec signingAlgorithm;

  /** Opens a KMS key; RSA keys sign with PKCS#1 v1.5 (see {@link #open(String, boolean)}). */
  public static AwsKmsSigner open(String uri) {
    return open(uri, false, KmsAccess.defaults());
  }

  /**
   * Opens a KMS key. KMS lets one RSA key sign with either padding, so the scheme is the caller's
   * choice: {@code pss} selects RSASSA-PSS (SHA-256, MGF1-SHA-256, 32-byte salt). EC keys ignore
   * it.
   */
  public static AwsKmsSigner open(String uri, boolean pss) {
    return open(uri, pss, KmsAccess.defaults());
  }

  /**
   * Creates a KMS signing key for {@code algorithm} and names it with the URI's alias, then opens
   * it. Refuses if the alias already names a key: generating must never silently reuse one.
   */
  public static AwsKmsSigner generate(String uri, SignatureAlgorithm algorithm) {
    return generate(uri, algorithm, KmsAccess.defaults());
  }

  static AwsKmsSigner open(String uri, boolean pss, KmsAccess access) {
    AwsKmsUri ref = AwsKmsUri.parse(uri, access.env());
    KmsClient kms = access.client(ref);
    try {
      return new AwsKmsSigner(kms, ref, pss);
    } catch (RuntimeException e) {
      kms.close();
      throw e;
    }
  }

  static AwsKmsSigner generate(String uri, SignatureAlgorithm algorithm, KmsAccess access) {
    AwsKmsUri ref = AwsKmsUri.parse(uri, access.env());
    String alias =
        ref.alias()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "generating a KMS key needs an alias to name it, e.g. awskms:///alias/NAME;"
                            + " got '"
                            + uri
                            + "'"));
    if (alias.startsWith("alias/aws/")) {
      throw new IllegalArgumentException("alias/aws/ is reserved for AWS managed keys: " + uri);
    }
    KeySpec spec = keySpec(algorithm);
    KmsClient kms = access.client(ref);
    try {
      String existing = existingKey(kms, ref);
      if (existing != null) {
        throw new KmsSignerException(
            ref.toString(),
            "CreateKey",
            alias + " already names key " + existing + "; open it instead of generating one");
      }
      CreateKeyResponse created =
          call(
              ref,
              "CreateKey",
              () ->
                  kms.createKey(
                      r ->
                          r.keySpec(spec)
                              .keyUsage(KeyUsageType.SIGN_VERIFY)
                              .description("Airseal signing key " + alias)));
      String keyId = created.keyMetadata().keyId();
      try {
        call(ref, "CreateAlias", () -> kms.createAlias(r -> r.aliasName(alias).targetKeyId(keyId)));
      } catch (KmsSignerException e) {
        throw new KmsSignerException(
            ref.toString(),
            "CreateAlias",
            e.getMessage()
                + "; key "
                + keyId
                + " was created without its alias: delete it with"
                + " 'aws kms schedule-key-deletion --key-id "
                + keyId
                + "' or alias it by hand");
      }
      AwsKmsSigner signer = new AwsKmsSigner(kms, ref, algorithm.isPss());
      if (signer.algorithm() != algorithm) {
        throw new KmsSignerException(
            ref.toString(),
            "CreateKey",
            "asked for " + algorithm + " but the new key signs " + signer.algorithm());
      }
      return signer;
    } catch (RuntimeException e) {
      kms.close();
      throw e;
    }
  }

  private AwsKmsSigner(KmsClient kms, AwsKmsUri uri, boolean pss) {
    this.kms = kms;
    this.ref = uri.toString();
    GetPublicKeyResponse key =
        call(uri, "GetPublicKey", () -> kms.getPublicKey(r -> r.keyId(uri.keyId())));
    if (key.keyUsage() != KeyUsageType.SIGN_VERIFY) {
      throw new KmsSignerException(
          ref, "GetPublicKey", "key usage is " + key.keyUsageAsString() + ", not SIGN_VERIFY");
    }
    String spec =
        key.keySpec() != null ? key.keySpecAsString() : key.customerMasterKeySpecAsString();
    this.algorithm = algorithmFor(spec, pss);
    this.signingAlgorithm = signingAlgorithm(algorithm);
    if (!key.signingAlgorithms().contains(signingAlgorithm)) {
      throw new KmsSignerException(
          ref,
          "GetPublicKey",
          "key does not offer "
              + signingAlgorithm
              + " (it offers "
              + key.signingAlgorithmsAsStrings()
              + ")");
    }
    this.publicKey = parse(ref, spec, key.publicKey().asByteArray());
    SignatureAlgorithm byKey = SignatureAlgorithm.forKey(publicKey, pss);
    if (byKey != algorithm) {
      throw new KmsSignerException(
          ref,
          "GetPublicKey",
          "key spec " + spec + " does not match its public key (" + byKey + ")");
    }
    // Sign by key ARN, not by the alias we were given: if the alias is moved to another key while
    // we run, we keep signing with the key whose public key we published.
    this.keyArn = key.keyId();
  }

  @Override
  public PublicKey publicKey() {
    return publicKey;
  }

  @Override
  public SignatureAlgorithm algorithm() {
    return algorithm;
  }

  /** The ARN of the key, as KMS reported it at open. */
  public String keyArn() {
    return keyArn;
  }

  @Override
  public byte[] sign(byte[] message) {
    byte[] digest;
    try {
      digest = MessageDigest.getInstance(algorithm.digest()).digest(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm.digest() + " is unavailable", e);
    }
    SignResponse r =
        call(
            ref,
            "Sign",
            () ->
                kms.sign(
                    s ->
                        s.keyId(keyArn)
                            .message(SdkBytes.fromByteArrayUnsafe(digest))
                            .messageType(MessageType.DIGEST)
                            .signingAlgorithm(signingAlgorithm)));
    if (r.signingAlgorithm() != null && r.signingAlgorithm() != signingAlgorithm) {
      throw new KmsSignerException(
          ref,
          "Sign",
          "KMS signed with " + r.signingAlgorithmAsString() + ", not " + signingAlgorithm);
    }
    byte[] signature = r.signature() == null ? new byte[0] : r.signature().asByteArray();
    if (!verifies(message, signature)) {
      throw new KmsSignerException(
          ref,
          "Sign",
          "KMS returned a "
              + signature.length
              + "-byte signature that does not verify under key "
              + keyArn
              + "'s public key");
    }
    return signature;
  }

  @Override
  public void close() {
    kms.close();
  }

  @Override
  public String toString() {
    return "AwsKmsSigner[" + ref + ", " + algorithm + "]";
  }

  private boolean verifies(byte[] message, byte[] signature) {
    try {
      Signature v = Signature.getInstance(algorithm.jcaName(), BC);
      if (algorithm.isPss()) {
        // KMS RSASSA_PSS_SHA_256: MGF1 with SHA-256, salt length 32; the same as Sigstore's.
        v.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
      }
      v.initVerify(publicKey);
      v.update(message);
      return v.verify(signature);
    } catch (java.security.SignatureException e) {
      return false; // not even well-formed (e.g. broken DER)
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot verify " + algorithm + ": " + e.getMessage(), e);
    }
  }

  /** The key that {@code ref} already names, or null if KMS does not know it. */
  private static String existingKey(KmsClient kms, AwsKmsUri ref) {
    return call(
        ref,
        "DescribeKey",
        () -> {
          try {
            return kms.describeKey(r -> r.keyId(ref.keyId())).keyMetadata().arn();
          } catch (NotFoundException e) {
            return null;
          }
        });
  }

  static SignatureAlgorithm algorithmFor(String keySpec, boolean pss) {
    String rsa = pss ? "PKIX_RSA_PSS_" : "PKIX_RSA_PKCS1V15_";
    return switch (keySpec == null ? "" : keySpec) {
      case "ECC_NIST_P256" -> SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256;
      case "ECC_NIST_P384" -> SignatureAlgorithm.PKIX_ECDSA_P384_SHA_384;
      case "RSA_2048" -> SignatureAlgorithm.valueOf(rsa + "2048_SHA256");
      case "RSA_3072" -> SignatureAlgorithm.valueOf(rsa + "3072_SHA256");
      case "RSA_4096" -> SignatureAlgorithm.valueOf(rsa + "4096_SHA256");
      default ->
          throw new IllegalArgumentException(
              "KMS key spec "
                  + keySpec
                  + " is not one Sigstore signs with"
                  + " (ECC_NIST_P256, ECC_NIST_P384, RSA_2048, RSA_3072, RSA_4096)");
    };
  }

  static SigningAlgorithmSpec signingAlgorithm(SignatureAlgorithm a) {
    return switch (a) {
      case PKIX_ECDSA_P256_SHA_256 -> SigningAlgorithmSpec.ECDSA_SHA_256;
      case PKIX_ECDSA_P384_SHA_384 -> SigningAlgorithmSpec.ECDSA_SHA_384;
      case PKIX_ECDSA_P521_SHA_512 -> SigningAlgorithmSpec.ECDSA_SHA_512;
      case PKIX_RSA_PKCS1V15_2048_SHA256,
          PKIX_RSA_PKCS1V15_3072_SHA256,
          PKIX_RSA_PKCS1V15_4096_SHA256 ->
          SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256;
      case PKIX_RSA_PSS_2048_SHA256, PKIX_RSA_PSS_3072_SHA256, PKIX_RSA_PSS_4096_SHA256 ->
          SigningAlgorithmSpec.RSASSA_PSS_SHA_256;
      case PKIX_ED25519 -> throw new IllegalArgumentException("Ed25519 KMS keys are not supported");
    };
  }

  static KeySpec keySpec(SignatureAlgorithm a) {
    return switch (a) {
      case PKIX_ECDSA_P256_SHA_256 -> KeySpec.ECC_NIST_P256;
      case PKIX_ECDSA_P384_SHA_384 -> KeySpec.ECC_NIST_P384;
      case PKIX_ECDSA_P521_SHA_512 -> KeySpec.ECC_NIST_P521;
      case PKIX_RSA_PKCS1V15_2048_SHA256, PKIX_RSA_PSS_2048_SHA256 -> KeySpec.RSA_2048;
      case PKIX_RSA_PKCS1V15_3072_SHA256, PKIX_RSA_PSS_3072_SHA256 -> KeySpec.RSA_3072;
      case PKIX_RSA_PKCS1V15_4096_SHA256, PKIX_RSA_PSS_4096_SHA256 -> KeySpec.RSA_4096;
      case PKIX_ED25519 ->
          throw new IllegalArgumentException(
              "Ed25519 KMS keys are not supported; use ECDSA P-256/P-384 or RSA");
    };
  }

  private static PublicKey parse(String ref, String spec, byte[] spki) {
    try {
      String type = spec.startsWith("RSA") ? "RSA" : "EC";
      return KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(spki));
    } catch (GeneralSecurityException e) {
      throw new KmsSignerException(
          ref, "GetPublicKey", "the public key is not a " + spec + " SubjectPublicKeyInfo");
    }
  }

  private static <T> T call(AwsKmsUri ref, String operation, Supplier<T> request) {
    return call(ref.toString(), operation, request);
  }

  private static <T> T call(String ref, String operation, Supplier<T> request) {
    try {
      return request.get();
    } catch (NotFoundException e) {
      throw new KmsSignerException(ref, operation, "no such key or alias" + details(e));
    } catch (AwsServiceException e) {
      // Not chained: a service message can quote the signed request (InvalidSignatureException
      // prints the canonical request, headers included).
      throw new KmsSignerException(ref, operation, hint(operation, e) + details(e));
    } catch (ApiCallTimeoutException | ApiCallAttemptTimeoutException e) {
      throw new KmsSignerException(
          ref,
          operation,
          "no answer within " + KmsAccess.CALL_TIMEOUT.toSeconds() + " s (" + firstLine(e) + ")");
    } catch (SdkClientException e) {
      String why = firstLine(e);
      if (why.startsWith("Unable to load credentials")) {
        // The chain's own text lists every provider it tried and runs to a paragraph.
        throw new KmsSignerException(
            ref,
            operation,
            "no AWS credentials (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE,"
                + " AWS_WEB_IDENTITY_TOKEN_FILE, or run with a container or instance role)");
      }
      throw new KmsSignerException(ref, operation, "KMS unreachable: " + why, e);
    }
  }

  private static String hint(String operation, AwsServiceException e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    if ("AccessDeniedException".equals(code)) {
      return "access denied (the credentials in use need kms:" + operation + " on this key)";
    }
    if (e.isThrottlingException()) {
      return "throttled";
    }
    if (e.statusCode() >= 500) {
      return "KMS failed";
    }
    return "KMS refused the request";
  }

  private static String details(AwsServiceException e) {
    StringBuilder s = new StringBuilder(" [");
    if (e.awsErrorDetails() != null) {
      s.append(e.awsErrorDetails().errorCode()).append(", ");
    }
    s.append("HTTP ").append(e.statusCode());
    if (e.numAttempts() != null && e.numAttempts() > 1) {
      s.append(", ").append(e.numAttempts()).append(" attempts");
    }
    if (e.requestId() != null) {
      s.append(", request ").append(e.requestId());
    }
    s.append(']');
    String message = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
    if (message != null && !message.isBlank()) {
      s.append(": ").append(truncate(message));
    }
    return s.toString();
  }

  private static String firstLine(Throwable e) {
    return truncate(String.valueOf(e.getMessage()));
  }

  private static String truncate(String message) {
    String line = message.lines().findFirst().orElse("");
    return line.length() > 300 ? line.substring(0, 300) + "…" : line;
  }
}
