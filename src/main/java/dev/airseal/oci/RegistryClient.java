package dev.airseal.oci;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The OCI distribution API, as much as signing, attesting and bundling need: manifests and blobs by
 * digest, monolithic blob upload, the referrers API. Token (Bearer) and Basic auth are negotiated
 * from the registry's challenge. This is the one place the project talks to registries.
 */
public final class RegistryClient {
  private static final long MAX_MANIFEST = 4L << 20;
  private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private final RegistryOptions options;
  private final HttpClient http;
  private final Map<String, String> tokens = new ConcurrentHashMap<>();
  private final com.fasterxml.jackson.databind.ObjectMapper json =
      new com.fasterxml.jackson.databind.ObjectMapper();

  public RegistryClient(RegistryOptions options) {
    this.options = options;
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL);
    if (options.allowInsecureTls()) {
      b.sslContext(trustAll());
    }
    this.http = b.build();
  }

  private URI base(ImageReference ref) {
    String host = ref.registry().equals(ImageReference.DOCKER_HUB) ? "registry-1.docker.io" : ref.registry();
    return URI.create((options.allowHttp() ? "http://" : "https://") + host + "/v2/" + ref.repository() + "/");
  }

  /** GET a manifest by tag or digest; empty on 404. Verifies the bytes against a requested digest. */
  public Optional<Manifest> manifest(ImageReference ref, String reference) throws IOException {
    HttpResponse<byte[]> r =
        send(ref, HttpRequest.newBuilder(base(ref).resolve("manifests/" + reference))
            .header("Accept", Manifest.ACCEPT).GET(), "pull");
    if (r.statusCode() == 404) {
      return Optional.empty();
    }
    expect(r, 200, "GET manifest " + ref.context() + ":" + reference);
    if (r.body().length > MAX_MANIFEST) {
      throw new RegistryException(-1, "manifest " + reference + " exceeds " + MAX_MANIFEST + " bytes");
    }
    Digest d = Digest.of(r.body());
    // A registry must not be trusted to serve what a digest names: check it.
    if (reference.startsWith("sha256:") && !d.toString().equals(reference)) {
      throw new RegistryException(-1, "registry served manifest " + d + " for " + reference);
    }
    String type = r.headers().firstValue("Content-Type").orElse(Manifest.OCI_MANIFEST);
    return Optional.of(new Manifest(r.body(), type.split(";")[0].trim(), d));
  }

  /** At most this many tags are listed from one repository: a registry must not make us loop forever. */
  static final int MAX_TAGS = 100_000;
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
  private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

  /**
   * Every tag of {@code repo}'s repository, in the registry's order, following the
   * distribution API's pagination ({@code Link: <...>; rel="next"}).
   *
   * <p>SPEC: https://github.com/opencontainers/distribution-spec/blob/main/spec.md#content-discovery
   * "GET /v2/<name>/tags/list?n=<integer>&last=<tagname>" answers {@code {"name": ..., "tags": [...]}},
   * with a {@code Link} header naming the next page when there is one.
   */
  public java.util.List<String> tags(ImageReference repo) throws IOException {
    java.util.List<String> out = new java.util.ArrayList<>();
    URI next = base(repo).resolve("tags/list?n=1000");
    java.util.Set<URI> seen = new java.util.HashSet<>();
    while (next != null) {
      if (!seen.add(next)) {
        throw new RegistryException(-1, "registry repeats the tag page " + next);
      }
      HttpResponse<byte[]> r = send(repo, HttpRequest.newBuilder(next).header("Accept", "application/json").GET(), "pull");
      if (r.statusCode() == 404) {
        throw new RegistryException(404, "no repository " + repo.context());
      }
      expect(r, 200, "GET tags of " + repo.context());
      if (r.body().length > MAX_MANIFEST) {
        throw new RegistryException(-1, "tag list page exceeds " + MAX_MANIFEST + " bytes");
      }
      com.fasterxml.jackson.databind.JsonNode page = JSON.readTree(r.body());
      for (com.fasterxml.jackson.databind.JsonNode t : page.path("tags")) {
        if (out.size() >= MAX_TAGS) {
          throw new RegistryException(-1, repo.context() + " has more than " + MAX_TAGS + " tags");
        }
        out.add(t.asText());
      }
      Matcher link = NEXT_LINK.matcher(r.headers().firstValue("Link").orElse(""));
      next = link.find() ? next(repo, link.group(1)) : null;
    }
    return out;
  }

  // A next-page link is relative to the registry (it starts with /v2/); it must stay there.
  private URI next(ImageReference repo, String link) throws RegistryException {
    URI base = base(repo);
    URI u = base.resolve(link);
    if (!java.util.Objects.equals(u.getHost(), base.getHost()) || u.getPort() != base.getPort()
        || !u.getPath().startsWith("/v2/")) {
      throw new RegistryException(-1, "registry's next tag page points elsewhere: " + link);
    }
    return u;
  }

  /** Resolves a reference to its manifest digest (a tag read once; never trusted afterwards). */
  public Digest resolve(ImageReference ref) throws IOException {
    return manifest(ref, ref.reference())
        .orElseThrow(() -> new RegistryException(404, "no manifest for " + ref))
        .digest();
  }

  public void putManifest(ImageReference ref, String reference, byte[] bytes, String mediaType)
      throws IOException {
    HttpResponse<byte[]> r =
        send(ref, HttpRequest.newBuilder(base(ref).resolve("manifests/" + reference))
            .header("Content-Type", mediaType)
            .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)), "push,pull");
    expect(r, 201, "PUT manifest " + ref.context() + ":" + reference);
  }

  public byte[] blob(ImageReference ref, Digest digest, long maxBytes) throws IOException {
    HttpResponse<byte[]> r =
        send(ref, HttpRequest.newBuilder(base(ref).resolve("blobs/" + digest)).GET(), "pull");
    expect(r, 200, "GET blob " + digest);
    if (r.body().length > maxBytes) {
      throw new RegistryException(-1, "blob " + digest + " exceeds " + maxBytes + " bytes");
    }
    if (!Digest.of(r.body()).equals(digest)) {
      throw new RegistryException(-1, "registry served other content for blob " + digest);
    }
    return r.body();
  }

  /**
   * A blob's bytes as a stream, never held whole in memory (image layers can be larger than the
   * heap). The caller checks the digest as it reads; {@code BundleWriter} does.
   */
  public java.io.InputStream openBlob(ImageReference ref, Digest digest) throws IOException {
    // The HEAD answers the registry's auth challenge (and caches the token), so the GET can stream.
    if (!hasBlob(ref, digest)) {
      throw new RegistryException(404, "registry does not hold blob " + digest + " of " + ref.context());
    }
    HttpRequest.Builder req = HttpRequest.newBuilder(base(ref).resolve("blobs/" + digest)).GET()
        .timeout(Duration.ofSeconds(60));
    String auth = tokens.get(scopeKey(ref, "pull"));
    if (auth != null) {
      req.header("Authorization", auth);
    }
    HttpResponse<java.io.InputStream> r;
    try {
      r = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException("interrupted", e);
    }
    if (r.statusCode() != 200) {
      try (java.io.InputStream in = r.body()) {
        String said = new String(in.readNBytes(1024), StandardCharsets.UTF_8);
        throw new RegistryException(r.statusCode(), "GET blob " + digest + ": HTTP " + r.statusCode() + " " + said);
      }
    }
    return r.body();
  }

  public boolean hasBlob(ImageReference ref, Digest digest) throws IOException {
    HttpResponse<byte[]> r =
        send(ref, HttpRequest.newBuilder(base(ref).resolve("blobs/" + digest))
            .method("HEAD", HttpRequest.BodyPublishers.noBody()), "pull");
    return r.statusCode() == 200;
  }

  /** Uploads a blob in one request (POST to open the upload, PUT with the digest to close it). */
  public Digest putBlob(ImageReference ref, byte[] content) throws IOException {
    Digest d = Digest.of(content);
    if (hasBlob(ref, d)) {
      return d;
    }
    HttpResponse<byte[]> open =
        send(ref, HttpRequest.newBuilder(base(ref).resolve("blobs/uploads/"))
            .POST(HttpRequest.BodyPublishers.noBody()), "push,pull");
    expect(open, 202, "POST blob upload " + ref.context());
    String location = open.headers().firstValue("Location")
        .orElseThrow(() -> new RegistryException(-1, "blob upload without Location"));
    URI uri = base(ref).resolve(location);
    String sep = uri.getQuery() == null ? "?" : "&";
    URI put = URI.create(uri + sep + "digest=" + URLEncoder.encode(d.toString(), StandardCharsets.UTF_8));
    HttpResponse<byte[]> r =
        send(ref, HttpRequest.newBuilder(put)
            .header("Content-Type", "application/octet-stream")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(content)), "push,pull");
    expect(r, 201, "PUT blob " + d);
    return d;
  }

  /**
   * Uploads a blob from a file, streamed from disk as it is sent (POST to open the upload, one PUT
   * with the digest and the whole body to close it), so a layer of any size costs a buffer, not
   * its size in memory. The registry checks the digest; a mismatch is its 400, reported here.
   */
  public Digest putBlob(ImageReference ref, Digest d, Path file) throws IOException {
    if (hasBlob(ref, d)) {
      return d;
    }
    long size = Files.size(file);
    HttpResponse<byte[]> open =
        send(ref, HttpRequest.newBuilder(base(ref).resolve("blobs/uploads/"))
            .POST(HttpRequest.BodyPublishers.noBody()), "push,pull");
    expect(open, 202, "POST blob upload " + ref.context());
    String location = open.headers().firstValue("Location")
        .orElseThrow(() -> new RegistryException(-1, "blob upload without Location"));
    URI uri = base(ref).resolve(location);
    String sep = uri.getQuery() == null ? "?" : "&";
    URI put = URI.create(uri + sep + "digest=" + URLEncoder.encode(d.toString(), StandardCharsets.UTF_8));
    // The timeout covers sending the body: allow a slow site link (1 MiB/s) on top of a minute.
    Duration timeout = Duration.ofSeconds(60 + (size >> 20));
    HttpResponse<byte[]> r =
        send(ref, HttpRequest.newBuilder(put)
            .timeout(timeout)
            .header("Content-Type", "application/octet-stream")
            .PUT(HttpRequest.BodyPublishers.ofFile(file)), "push,pull");
    expect(r, 201, "PUT blob " + d + " (" + size + " bytes)");
    return d;
  }

  /**
   * Referrers of a digest through the referrers API, falling back to the tag schema
   * ({@code sha256-<hex>}) that registries without the API use.
   */
  public Optional<Manifest> referrers(ImageReference ref, Digest subject) throws IOException {
    HttpResponse<byte[]> r =
        send(ref, HttpRequest.newBuilder(base(ref).resolve("referrers/" + subject))
            .header("Accept", Manifest.OCI_INDEX).GET(), "pull");
    if (r.statusCode() == 200
        && r.headers().firstValue("Content-Type").orElse("").startsWith(Manifest.OCI_INDEX)) {
      return Optional.of(new Manifest(r.body(), Manifest.OCI_INDEX, Digest.of(r.body())));
    }
    return manifest(ref, subject.cosignTagPrefix());
  }

  /** Whether the registry answers the referrers API (else clients use the tag schema). */
  public boolean supportsReferrers(ImageReference ref, Digest subject) throws IOException {
    HttpResponse<byte[]> r =
        send(ref, HttpRequest.newBuilder(base(ref).resolve("referrers/" + subject))
            .header("Accept", Manifest.OCI_INDEX).GET(), "pull");
    return r.statusCode() == 200;
  }

  // Tokens are cached per registry, repository and the actions they were granted for.
  private static String scopeKey(ImageReference ref, String actions) {
    return ref.registry() + "|" + ref.repository() + "|" + actions;
  }

  private HttpResponse<byte[]> send(ImageReference ref, HttpRequest.Builder req, String actions)
      throws IOException {
    String scopeKey = scopeKey(ref, actions);
    String auth = tokens.get(scopeKey);
    HttpResponse<byte[]> r = exchange(auth == null ? req : req.copy().header("Authorization", auth));
    if (r.statusCode() != 401) {
      return r;
    }
    String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
    auth = authorize(challenge, ref, actions);
    if (auth == null) {
      return r;
    }
    tokens.put(scopeKey, auth);
    return exchange(req.copy().header("Authorization", auth));
  }

  private HttpResponse<byte[]> exchange(HttpRequest.Builder req) throws IOException {
    try {
      HttpRequest built = req.build();
      if (built.timeout().isEmpty()) {
        built = req.copy().timeout(Duration.ofSeconds(60)).build();
      }
      return http.send(built, HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException("interrupted", e);
    }
  }

  private String authorize(String challenge, ImageReference ref, String actions) throws IOException {
    Optional<RegistryOptions.Credentials> creds = options.credentials();
    if (challenge.regionMatches(true, 0, "Basic", 0, 5)) {
      return creds.map(c -> "Basic " + basic(c)).orElse(null);
    }
    if (!challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
      return null;
    }
    Map<String, String> p = new java.util.HashMap<>();
    Matcher m = CHALLENGE_PARAM.matcher(challenge);
    while (m.find()) {
      p.put(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2));
    }
    String realm = p.get("realm");
    if (realm == null) {
      throw new RegistryException(401, "Bearer challenge without realm from " + ref.registry());
    }
    String scope = p.getOrDefault("scope", "repository:" + ref.repository() + ":" + actions);
    StringBuilder url = new StringBuilder(realm).append(realm.contains("?") ? "&" : "?");
    if (p.containsKey("service")) {
      url.append("service=").append(URLEncoder.encode(p.get("service"), StandardCharsets.UTF_8)).append('&');
    }
    url.append("scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
    HttpRequest.Builder tr = HttpRequest.newBuilder(URI.create(url.toString())).GET();
    creds.ifPresent(c -> tr.header("Authorization", "Basic " + basic(c)));
    HttpResponse<byte[]> t = exchange(tr);
    expect(t, 200, "token request to " + realm);
    var node = json.readTree(t.body());
    String token = node.path("token").asText(node.path("access_token").asText(""));
    if (token.isEmpty()) {
      throw new RegistryException(401, "token endpoint " + realm + " returned no token");
    }
    return "Bearer " + token;
  }

  private static String basic(RegistryOptions.Credentials c) {
    return Base64.getEncoder()
        .encodeToString((c.username() + ":" + c.secret()).getBytes(StandardCharsets.UTF_8));
  }

  private static void expect(HttpResponse<byte[]> r, int status, String what) throws RegistryException {
    if (r.statusCode() != status && !(status == 201 && r.statusCode() == 200)) {
      String body = new String(r.body(), StandardCharsets.UTF_8);
      throw new RegistryException(
          r.statusCode(),
          what + ": HTTP " + r.statusCode() + (body.isBlank() ? "" : ": " + body.substring(0, Math.min(300, body.length())).strip()));
    }
  }

  private static SSLContext trustAll() {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }}, new SecureRandom());
      return ctx;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
