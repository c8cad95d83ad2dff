package dev.airseal.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** All Airseal settings; documented in docs/configuration.md. */
@ConfigMapping(prefix = "airseal")
public interface AirsealConfig {

  /** Directory holding all state: database, keys. */
  @WithDefault("./data")
  String dataDir();

  Log log();

  Api api();

  Trust trust();

  Tsa tsa();

  Tuf tuf();

  Console console();

  Database database();

  Cluster cluster();

  Policy policy();

  Registry registry();

  Admission admission();

  Bundle bundle();

  Verify verify();

  Crypto crypto();

  /** Cryptographic engines. */
  interface Crypto {
    /**
     * Whether ECDSA is signed and verified by AWS-LC (Amazon Corretto Crypto Provider) where its
     * native library loads; false keeps BouncyCastle. Read once per process (crypto/AwsLc).
     */
    @WithDefault("true")
    boolean awsLc();
  }

  /** The operator console at /console; documented in docs/operations.md. */
  interface Console {
    /** Lifetime of a browser session opened with the write token or a one-time login link. */
    @WithDefault("PT15M")
    Duration sessionTtl();
  }

  interface Database {
    /** {@code h2} (embedded, one replica) or {@code postgresql} (one or more replicas). */
    @WithDefault("h2")
    String kind();
  }

  /** Several replicas on one PostgreSQL database: see docs/ha.md. */
  interface Cluster {
    /**
     * The URL other replicas forward appends to while this replica leads. Default:
     * http://HOSTNAME:PORT with the machine's host name.
     */
    Optional<String> advertisedUrl();

    /**
     * How often a follower tries to take the lead and the leader proves it still holds it; a dead
     * leader is replaced within about twice this.
     */
    @WithDefault("PT0.5S")
    Duration electionInterval();

    /** How often a follower re-reads the tree head when no change notification arrived. */
    @WithDefault("PT0.2S")
    Duration followInterval();

    /**
     * Longest time before a version change (e.g. evidence imported on another replica) reaches
     * this replica's caches; on PostgreSQL a NOTIFY usually brings it within milliseconds.
     */
    @WithDefault("PT0.5S")
    Duration watchInterval();

    /** How long a forwarded append may take before the follower answers 503. */
    @WithDefault("PT30S")
    Duration forwardTimeout();
  }

  /** Where Kyverno policies come from besides the API and imported bundles. */
  interface Policy {
    /** A directory of policy YAML, reloaded when its files change. */
    Optional<String> dir();
  }

  /** The site registry mirror admission may read evidence from; documented in admission.md. */
  interface Registry {
    /** {@code https://host[:port]} (or {@code host[:port]}); empty: decide from the store alone. */
    Optional<String> url();

    /** Speak plain HTTP to the mirror: test registries only. */
    @WithDefault("false")
    boolean plainHttp();
  }

  /** The admission webhook; documented in admission.md. */
  interface Admission {
    /** Longest the site registry may take for one image (capped at half the rule's webhook timeout). */
    @WithDefault("PT2S")
    Duration registryDeadline();

    /** Check results kept in memory. */
    @WithDefault("100000")
    int cacheSize();

    /** How often the policy directory is checked for changes. */
    @WithDefault("PT2S")
    Duration policyReloadInterval();

    /** Decisions waiting to be written to the audit log; beyond it requests write their own. */
    @WithDefault("65536")
    int auditQueue();

    /** Refuse /validate and /mutate over plain HTTP (the API server only speaks HTTPS to webhooks). */
    @WithDefault("true")
    boolean requireTls();

    /** Require a TLS client certificate verified by the listener on /validate and /mutate. */
    @WithDefault("false")
    boolean clientCertificate();

    /** Extra DNS names or IPs for the certificate made at first start (e.g. airseal.airseal.svc). */
    Optional<java.util.List<String>> tlsNames();

    /** Validity of the certificates made at first start and by {@code webhook tls init}. */
    @WithDefault("P825D")
    Duration tlsValidity();
  }

  /** Air-gap transfer bundles; documented in docs/bundle-format.md and docs/configuration.md. */
  interface Bundle {
    /**
     * Transfer keys trusted at install time, as {@code producer=/path/key.pub}; each is added (and
     * audited) at start-up unless already known. Later changes go through rotation, not this list.
     */
    Optional<java.util.List<String>> transferKeys();

    /** Largest uncompressed bundle, and largest single blob in it. */
    @WithDefault("68719476736")
    long maxBytes();

    /** Largest expansion of a compressed bundle (uncompressed bytes per compressed byte). */
    @WithDefault("100")
    long maxRatio();

    /** Most archive entries in one bundle. */
    @WithDefault("2000000")
    long maxEntries();

    /** Most bytes of non-image blobs (evidence, trust root, policies), held in memory during an import. */
    @WithDefault("268435456")
    long maxEvidenceBytes();

    /** Threads verifying evidence during an import; 0 means one per processor. */
    @WithDefault("0")
    int verifyThreads();

    /**
     * Path of the upstream TUF repository's root.json the operator installed: where the root chain
     * of bundles carrying TUF metadata ({@code bundle create --tuf-mirror}) starts. Absent: such
     * bundles are refused.
     */
    Optional<String> tufRoot();
  }

  interface Trust {
    /** Create trust-root version 1 from the appliance's own keys at first start. */
    @WithDefault("true")
    boolean autoInit();

    /**
     * The log URL written into the trust root and the signing config, as clients reach it. Its
     * host must be {@code airseal.log.hostname}: sigstore-java and sigstore-js find the checkpoint
     * signature by that name. Default: http://HOSTNAME:PORT.
     */
    Optional<String> logUrl();

    /** Who operates this site's services (trusted root v0.2 {@code operator}). */
    Optional<String> operator();

    /**
     * Trusted-root media type version written on changes: 0.2, or 0.1 for sites whose clients
     * include sigstore-java 2.0.0, which accepts only {@code trustedroot+json;version=0.1}.
     */
    @WithDefault("0.2")
    String mediaVersion();

    /**
     * Readiness fails once the current trust-root version is older than this: trust material that
     * nobody has reviewed in that long (rotations, expiries) is stale.
     */
    @WithDefault("P90D")
    Duration maxAge();
  }

  interface Log {
    /**
     * How often readiness proves the log key can sign (one throw-away signature); probes in
     * between reuse the last result, so an HSM or KMS is not hit once per probe.
     */
    @WithDefault("PT30S")
    Duration keyCheckInterval();

    /** Start the log (key, tree state, sequencer) when the application starts. */
    @WithDefault("true")
    boolean autostart();

    /**
     * Host name in the checkpoint origin ({@code <hostname> - <treeID>}) and the signature line, as
     * Rekor v1 writes them. Defaults to the machine's host name.
     */
    Optional<String> hostname();

    /** Key URI of the log signer; empty means a software key generated under the data directory. */
    Optional<String> key();

    /** Largest number of entries integrated in one batch (one transaction, one checkpoint). */
    @WithDefault("1024")
    int batchSize();

    /**
     * Longest time the first entry of a batch waits for others to join it. Clients that wait for
     * their answer before sending again (cosign, rekor-cli) pay it on every entry: 1 ms against 5 ms
     * raised 64 such clients from ~3,250 to ~4,600 appends/s (docs/log.md, Performance).
     */
    @WithDefault("PT0.001S")
    Duration batchMaxDelay();

    /** Longest queue of appends waiting for the sequencer; beyond it callers get 503. */
    @WithDefault("65536")
    int maxPending();

    /**
     * How often recent entries are filed into the leaf-hash and search indexes (they are findable
     * from memory at once; the interval only sets how much one index transaction writes).
     */
    @WithDefault("PT1S")
    Duration indexInterval();

    /** Proof-node tiles kept in memory. */
    @WithDefault("4096")
    int tileCacheSize();

    /**
     * Start a new log with an entry of its own at index 0, so no client's entry lands there:
     * cosign refuses an entry whose log index is 0 ("nil value in transaction log entry").
     */
    @WithDefault("true")
    boolean genesisEntry();
  }

  interface Api {
    /** Largest accepted request body on write endpoints, in bytes. */
    @WithDefault("1048576")
    int maxBodyBytes();

    /**
     * Bearer token required on write endpoints. Empty means writes are open (reads always are);
     * set it whenever the log is reachable by untrusted clients.
     */
    Optional<String> writeToken();

    /**
     * Write endpoints require a TLS client certificate verified by the listener (configure
     * {@code quarkus.http.ssl.client-auth=request} and a trust store; see docs/configuration.md).
     */
    @WithDefault("false")
    boolean writeClientCertificate();

    /** Base URL the CLI uses to reach the service. */
    @WithDefault("http://127.0.0.1:8080")
    String url();
  }

  /** The RFC 3161 timestamp authority; documented in docs/timestamps.md. */
  interface Tsa {
    /** Open the TSA key and certificate chain at start-up and serve /api/v1/timestamp. */
    @WithDefault("true")
    boolean enabled();

    /**
     * Key URI of the TSA signer; empty means a software P-256 key generated under the data
     * directory ({@code keys/tsa-key.pem}).
     */
    Optional<String> key();

    /** Common name of the self-signed root CA issued on first start. */
    @WithDefault("Airseal TSA Root")
    String name();

    /** Common name of the TSA (leaf) certificate. */
    @WithDefault("Airseal TSA")
    String signerName();

    /** Organization of both certificates, as a trusted root's TSA {@code subject} names it. */
    @WithDefault("Airseal")
    String organization();

    /** Validity of the root and TSA certificates issued on first start. */
    @WithDefault("P3650D")
    Duration validity();

    /** TSA policy OID written into every token; requests naming another policy are rejected. */
    @WithDefault("1.3.6.1.4.1.57264.2")
    String policy();

    /** Accuracy stated in every token (genTime has whole-second resolution). */
    @WithDefault("PT1S")
    Duration accuracy();

    /** Largest accepted TimeStampReq, in bytes. */
    @WithDefault("16384")
    int maxRequestBytes();
  }

  /** The TUF repository under /tuf/; documented in docs/trust-root.md. */
  interface Tuf {
    /** Keep the repository at {@code <data-dir>/tuf/repository} and serve it under /tuf/. */
    @WithDefault("true")
    boolean enabled();

    /**
     * Key URI of the root key (file, {@code pkcs11:}, {@code awskms:}); empty means a software P-256
     * key under the data directory ({@code keys/tuf-root.pem}, after a rotation the
     * {@code keys/tuf-root*.pem} file the latest root names).
     */
    Optional<String> rootKey();

    /**
     * Key URI of the online key that signs targets, snapshot and timestamp; empty means a software
     * P-256 key under the data directory ({@code keys/tuf-online.pem}).
     */
    Optional<String> onlineKey();

    /** Lifetime of each root version. */
    @WithDefault("P365D")
    Duration rootExpiry();

    /** Lifetime of each targets version. */
    @WithDefault("P90D")
    Duration targetsExpiry();

    /** Lifetime of each snapshot version. */
    @WithDefault("P7D")
    Duration snapshotExpiry();

    /** Lifetime of each timestamp version. */
    @WithDefault("P1D")
    Duration timestampExpiry();

    /**
     * How often a background task re-signs what is in the last half of its lifetime and publishes
     * a changed trust root (requests for timestamp.json and root.json do the same at once).
     */
    @WithDefault("PT1H")
    Duration refreshInterval();
  }

  /** Verification everywhere the service verifies (admission, bundle import). */
  interface Verify {
    /**
     * How far another clock (a log's integration time, a producer's bundle times) may disagree
     * with ours before a time counts as in the future or past: offline sites have weak clocks.
     */
    @WithDefault("PT60S")
    Duration clockSkew();
  }
}
