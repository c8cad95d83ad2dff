package dev.airseal.signing.awskms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * A KMS stand-in on 127.0.0.1 speaking the JSON 1.1 protocol of the AWS SDK: {@code POST /}, {@code
 * X-Amz-Target: TrentService.<Op>}, errors as HTTP 400/500 {@code {"__type","message"}}.
 *
 * <p>It holds real keys, so signatures verify, and it checks what the real service would refuse: a
 * missing or malformed SigV4 {@code Authorization} (credential scope for this region and the {@code
 * kms} service, the expected access key), a wrong content type, an unknown key or alias, a digest
 * whose length does not fit the algorithm, an algorithm the key does not offer. It does not
 * recompute the SigV4 signature itself.
 */
final class FakeKms implements AutoCloseable {
  static {
    // Without it the JDK server delays small responses (Nagle + delayed ACK): ~21 requests/s.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  static final String ACCOUNT = "111122223333";
  static final String ACCESS_KEY = "AKIAFAKEKMS000000001";
  static final String SECRET_KEY = "fake/secret/key/never+shown+in+messages";
  private static final Provider BC = new BouncyCastleProvider();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern AUTHORIZATION =
      Pattern.compile(
          "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([a-z0-9-]+)/kms/aws4_request,"
              + " ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})");
  // DER DigestInfo prefix for SHA-256 (RFC 8017 section 9.2, note 1).
  private static final byte[] SHA256_DIGEST_INFO = {
    0x30,
    0x31,
    0x30,
    0x0d,
    0x06,
    0x09,
    0x60,
    (byte) 0x86,
    0x48,
    0x01,
    0x65,
    0x03,
    0x04,
    0x02,
    0x01,
    0x05,
    0x00,
    0x04,
    0x20
  };

  /** A fault the next requests get instead of the normal answer. */
  enum Fault {
    NONE,
    /** Sign answers a well-formed signature with one bit flipped. */
    CORRUPT_SIGNATURE,
    /** Every request answers HTTP 500 KMSInternalException. */
    INTERNAL_ERROR
  }

  /** One request as received. */
  record Request(String target, String authorization, String contentType, JsonNode body) {}

  record Key(String id, String spec, String usage, KeyPair pair) {}

  private final String region;
  private final HttpServer server;
  private final Map<String, Key> keys = new ConcurrentHashMap<>();
  private final Map<String, String> aliases = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicLong requestIds = new AtomicLong();
  private volatile Fault fault = Fault.NONE;

  FakeKms(String region) throws IOException {
    this.region = region;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String region() {
    return region;
  }

  /** {@code awskms://127.0.0.1:PORT/KEY}; open it with {@code AIRSEAL_KMS_ALLOW_HTTP=true}. */
  String uri(String key) {
    return "awskms://127.0.0.1:" + server.getAddress().getPort() + "/" + key;
  }

  String arn(String keyId) {
    return "arn:aws:kms:" + region + ":" + ACCOUNT + ":key/" + keyId;
  }

  /** Adds a signing key (ECC_NIST_P256, ECC_NIST_P384, RSA_2048…) and returns its key id. */
  String addKey(String spec, KeyPair pair) {
    return addKey(spec, "SIGN_VERIFY", pair);
  }

  String addKey(String spec, String usage, KeyPair pair) {
    String id = UUID.randomUUID().toString();
    keys.put(id, new Key(id, spec, usage, pair));
    return id;
  }

  void alias(String aliasName, String keyId) {
    aliases.put(aliasName, keyId);
  }

  Key key(String idOrAlias) {
    return keys.get(aliases.getOrDefault(idOrAlias, idOrAlias));
  }

  void fault(Fault f) {
    fault = f;
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  void clearRequests() {
    requests.clear();
  }

  static KeyPair generate(String spec) {
    try {
      KeyPairGenerator g;
      switch (spec) {
        case "ECC_NIST_P256", "ECC_NIST_P384" -> {
          g = KeyPairGenerator.getInstance("EC", BC);
          g.initialize(new ECGenParameterSpec(spec.equals("ECC_NIST_P256") ? "P-256" : "P-384"));
        }
        case "RSA_2048", "RSA_3072", "RSA_4096" -> {
          g = KeyPairGenerator.getInstance("RSA", BC);
          g.initialize(Integer.parseInt(spec.substring(4)));
        }
        default -> throw new IllegalArgumentException(spec);
      }
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      byte[] raw = x.getRequestBody().readAllBytes();
      String target = x.getRequestHeaders().getFirst("X-Amz-Target");
      String auth = x.getRequestHeaders().getFirst("Authorization");
      String type = x.getRequestHeaders().getFirst("Content-Type");
      JsonNode body;
      try {
        body = raw.length == 0 ? JSON.createObjectNode() : JSON.readTree(raw);
      } catch (IOException e) {
        body = null;
      }
      requests.add(new Request(target, auth, type, body));
      try {
        reply(x, 200, answer(x, raw, target, auth, type, body));
      } catch (KmsError e) {
        ObjectNode err =
            JSON.createObjectNode().put("__type", e.type).put("message", e.getMessage());
        reply(x, e.status, err);
      } catch (RuntimeException e) {
        ObjectNode err =
            JSON.createObjectNode()
                .put("__type", "KMSInternalException")
                .put("message", e.toString());
        reply(x, 500, err);
      }
    }
  }

  private JsonNode answer(
      HttpExchange x, byte[] raw, String target, String auth, String type, JsonNode body) {
    if (!"POST".equals(x.getRequestMethod()) || !"/".equals(x.getRequestURI().getPath())) {
      throw new KmsError(400, "UnknownOperationException", "expected POST /");
    }
    if (auth == null) {
      throw new KmsError(
          400, "MissingAuthenticationTokenException", "Missing Authentication Token");
    }
    Matcher m = AUTHORIZATION.matcher(auth);
    if (!m.matches()) {
      throw new KmsError(400, "IncompleteSignatureException", "Authorization is not SigV4");
    }
    if (!ACCESS_KEY.equals(m.group(1))) {
      throw new KmsError(
          400,
          "UnrecognizedClientException",
          "The security token included in the request is invalid.");
    }
    if (!region.equals(m.group(3))) {
      throw new KmsError(
          400,
          "InvalidSignatureException",
          "Credential should be scoped to a valid region, not '" + m.group(3) + "'.");
    }
    List<String> signed = List.of(m.group(4).split(";"));
    if (!signed.contains("host") || !signed.contains("x-amz-target")) {
      throw new KmsError(
          400, "IncompleteSignatureException", "host and x-amz-target must be signed");
    }
    String canonical = canonicalRequest(x, signed, m.group(4), raw);
    String scope = m.group(2) + "/" + m.group(3) + "/kms/aws4_request";
    String expected = sigV4(x.getRequestHeaders().getFirst("X-Amz-Date"), scope, canonical);
    if (!expected.equals(m.group(5))) {
      // The real service appends the canonical request it computed, signed headers included.
      throw new KmsError(
          400,
          "InvalidSignatureException",
          "The request signature we calculated does not match the signature you provided."
              + " Check your AWS Secret Access Key and signing method.\n\n"
              + "The Canonical String for this request should have been\n'"
              + canonical
              + "'");
    }
    if (type == null || !type.startsWith("application/x-amz-json-1.1")) {
      throw new KmsError(400, "SerializationException", "Content-Type " + type);
    }
    if (body == null || !body.isObject()) {
      throw new KmsError(400, "SerializationException", "body is not a JSON object");
    }
    if (fault == Fault.INTERNAL_ERROR) {
      throw new KmsError(500, "KMSInternalException", "injected internal error");
    }
    if (target == null || !target.startsWith("TrentService.")) {
      throw new KmsError(400, "UnknownOperationException", "X-Amz-Target " + target);
    }
    return switch (target.substring("TrentService.".length())) {
      case "GetPublicKey" -> getPublicKey(body);
      case "DescribeKey" -> describeKey(body);
      case "Sign" -> sign(body);
      case "CreateKey" -> createKey(body);
      case "CreateAlias" -> createAlias(body);
      default -> throw new KmsError(400, "UnknownOperationException", target);
    };
  }

  // SPEC: https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
  private static String canonicalRequest(
      HttpExchange x, List<String> signed, String signedHeaders, byte[] body) {
    StringBuilder c = new StringBuilder("POST\n/\n\n");
    for (String h : signed) {
      List<String> values = x.getRequestHeaders().get(h);
      String v =
          values == null
              ? ""
              : String.join(",", values.stream().map(s -> s.trim().replaceAll(" +", " ")).toList());
      c.append(h).append(':').append(v).append('\n');
    }
    return c.append('\n').append(signedHeaders).append('\n').append(hex(sha256(body))).toString();
  }

  private static String sigV4(String amzDate, String scope, String canonical) {
    try {
      String toSign =
          "AWS4-HMAC-SHA256\n"
              + amzDate
              + "\n"
              + scope
              + "\n"
              + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
      byte[] k = ("AWS4" + SECRET_KEY).getBytes(StandardCharsets.UTF_8);
      for (String part : scope.split("/")) {
        k = hmac(k, part);
      }
      return hex(hmac(k, toSign));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  private JsonNode getPublicKey(JsonNode body) {
    Key k = resolve(required(body, "KeyId"));
    ObjectNode r = JSON.createObjectNode();
    r.put("KeyId", arn(k.id));
    r.put("PublicKey", Base64.getEncoder().encodeToString(k.pair.getPublic().getEncoded()));
    r.put("KeySpec", k.spec);
    r.put("CustomerMasterKeySpec", k.spec);
    r.put("KeyUsage", k.usage);
    signingAlgorithms(k).forEach(r.putArray("SigningAlgorithms")::add);
    return r;
  }

  private JsonNode describeKey(JsonNode body) {
    Key k = resolve(required(body, "KeyId"));
    ObjectNode r = JSON.createObjectNode();
    metadata(k, r.putObject("KeyMetadata"));
    return r;
  }

  private JsonNode sign(JsonNode body) {
    Key k = resolve(required(body, "KeyId"));
    String messageType = body.path("MessageType").asText("RAW");
    if (!"DIGEST".equals(messageType)) {
      // Airseal always hashes locally; a RAW message here is a client bug.
      throw new KmsError(400, "ValidationException", "this fake accepts only MessageType DIGEST");
    }
    String algorithm = required(body, "SigningAlgorithm");
    if (!signingAlgorithms(k).contains(algorithm)) {
      throw new KmsError(
          400, "InvalidKeyUsageException", algorithm + " is not valid for key " + arn(k.id));
    }
    byte[] digest;
    try {
      digest = Base64.getDecoder().decode(required(body, "Message"));
    } catch (IllegalArgumentException e) {
      throw new KmsError(400, "SerializationException", "Message is not base64");
    }
    int expected = algorithm.endsWith("384") ? 48 : 32;
    if (digest.length != expected) {
      throw new KmsError(
          400,
          "ValidationException",
          "Digest is invalid length for algorithm " + algorithm + ": " + digest.length);
    }
    byte[] sig = signDigest(k, algorithm, digest);
    if (fault == Fault.CORRUPT_SIGNATURE) {
      sig[sig.length - 1] ^= 1;
    }
    ObjectNode r = JSON.createObjectNode();
    r.put("KeyId", arn(k.id));
    r.put("Signature", Base64.getEncoder().encodeToString(sig));
    r.put("SigningAlgorithm", algorithm);
    return r;
  }

  private JsonNode createKey(JsonNode body) {
    String usage = body.path("KeyUsage").asText("ENCRYPT_DECRYPT");
    String spec = body.path("KeySpec").asText("SYMMETRIC_DEFAULT");
    if (!"SIGN_VERIFY".equals(usage) || !spec.matches("ECC_NIST_P(256|384)|RSA_(2048|3072|4096)")) {
      throw new KmsError(400, "ValidationException", "this fake makes signing keys only: " + spec);
    }
    Key k = keys.get(addKey(spec, generate(spec)));
    ObjectNode r = JSON.createObjectNode();
    metadata(k, r.putObject("KeyMetadata"));
    return r;
  }

  private JsonNode createAlias(JsonNode body) {
    String name = required(body, "AliasName");
    if (!name.matches("alias/[A-Za-z0-9/_-]+") || name.startsWith("alias/aws/")) {
      throw new KmsError(400, "ValidationException", "invalid alias name " + name);
    }
    String target = required(body, "TargetKeyId");
    Key k = resolve(target);
    if (aliases.putIfAbsent(name, k.id) != null) {
      throw new KmsError(
          400,
          "AlreadyExistsException",
          "An alias with the name " + aliasArn(name) + " already exists");
    }
    return null; // CreateAlias answers 200 with an empty body
  }

  private void metadata(Key k, ObjectNode m) {
    m.put("AWSAccountId", ACCOUNT);
    m.put("KeyId", k.id);
    m.put("Arn", arn(k.id));
    m.put("Enabled", true);
    m.put("KeyState", "Enabled");
    m.put("KeyUsage", k.usage);
    m.put("KeySpec", k.spec);
    m.put("CustomerMasterKeySpec", k.spec);
    m.put("Origin", "AWS_KMS");
    m.put("KeyManager", "CUSTOMER");
    m.put("CreationDate", System.currentTimeMillis() / 1000.0);
    signingAlgorithms(k).forEach(m.putArray("SigningAlgorithms")::add);
  }

  private static List<String> signingAlgorithms(Key k) {
    return switch (k.spec) {
      case "ECC_NIST_P256" -> List.of("ECDSA_SHA_256");
      case "ECC_NIST_P384" -> List.of("ECDSA_SHA_384");
      default ->
          List.of(
              "RSASSA_PKCS1_V1_5_SHA_256",
              "RSASSA_PKCS1_V1_5_SHA_384",
              "RSASSA_PKCS1_V1_5_SHA_512",
              "RSASSA_PSS_SHA_256",
              "RSASSA_PSS_SHA_384",
              "RSASSA_PSS_SHA_512");
    };
  }

  private static byte[] signDigest(Key k, String algorithm, byte[] digest) {
    try {
      Signature s;
      byte[] input = digest;
      switch (algorithm) {
        case "ECDSA_SHA_256", "ECDSA_SHA_384" -> s = Signature.getInstance("NONEwithECDSA", BC);
        case "RSASSA_PKCS1_V1_5_SHA_256" -> {
          s = Signature.getInstance("NONEwithRSA", BC);
          input = new byte[SHA256_DIGEST_INFO.length + digest.length];
          System.arraycopy(SHA256_DIGEST_INFO, 0, input, 0, SHA256_DIGEST_INFO.length);
          System.arraycopy(digest, 0, input, SHA256_DIGEST_INFO.length, digest.length);
        }
        case "RSASSA_PSS_SHA_256" -> {
          s = Signature.getInstance("NONEwithRSAPSS", BC);
          s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        }
        default ->
            throw new KmsError(400, "UnsupportedOperationException", "fake lacks " + algorithm);
      }
      s.initSign(k.pair.getPrivate());
      s.update(input);
      return s.sign();
    } catch (GeneralSecurityException e) {
      throw new KmsError(500, "KMSInternalException", e.toString());
    }
  }

  private Key resolve(String keyId) {
    String prefix = "arn:aws:kms:" + region + ":" + ACCOUNT + ":";
    String ref = keyId.startsWith(prefix) ? keyId.substring(prefix.length()) : keyId;
    if (ref.startsWith("arn:")) {
      throw new KmsError(400, "NotFoundException", "Invalid arn " + keyId);
    }
    String id = ref.startsWith("key/") ? ref.substring(4) : ref;
    if (ref.startsWith("alias/")) {
      id = aliases.get(ref);
      if (id == null) {
        throw new KmsError(400, "NotFoundException", "Alias " + aliasArn(ref) + " is not found.");
      }
    }
    Key k = keys.get(id);
    if (k == null) {
      throw new KmsError(400, "NotFoundException", "Key '" + arn(id) + "' does not exist");
    }
    return k;
  }

  private String aliasArn(String name) {
    return "arn:aws:kms:" + region + ":" + ACCOUNT + ":" + name;
  }

  private static String required(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw new KmsError(400, "ValidationException", field + " is required");
    }
    return v.asText();
  }

  private void reply(HttpExchange x, int status, JsonNode body) throws IOException {
    x.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
    x.getResponseHeaders().set("x-amzn-RequestId", "fake-" + requestIds.incrementAndGet());
    if (body == null) {
      x.sendResponseHeaders(status, -1);
      return;
    }
    byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    x.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static final class KmsError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String type;

    KmsError(int status, String type, String message) {
      super(message);
      this.status = status;
      this.type = type;
    }
  }
}
