package dev.airseal.tsa;

import dev.airseal.signing.Signer;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.tsp.TimeStampReq;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cms.SignerInfoGeneratorBuilder;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TSPValidationException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;
import org.bouncycastle.util.CollectionStore;
import org.jboss.logging.Logger;

/**
 * An RFC 3161 time-stamp authority: answers a DER {@code TimeStampReq} with a DER {@code
 * TimeStampResp}, as sigstore's timestamp-authority does. Every request gets a response: a request
 * we will not stamp gets {@code rejection} with the failInfo bit that names why, never an
 * exception. Safe for concurrent use; the TSA key signs through {@link Signer}.
 */
public final class TimestampAuthority {
  private static final Logger LOG = Logger.getLogger(TimestampAuthority.class);

  /** Imprint hashes we stamp: SHA-2 only, as sigstore's TSA (weaker ones get badAlg). */
  public static final Set<ASN1ObjectIdentifier> IMPRINT_ALGORITHMS =
      Set.of(NISTObjectIdentifiers.id_sha256, NISTObjectIdentifiers.id_sha384,
          NISTObjectIdentifiers.id_sha512);

  /** Sigstore's TSA policy, 1.3.6.1.4.1.57264.2 (the Sigstore OID arc, "timestamp"). */
  public static final ASN1ObjectIdentifier SIGSTORE_POLICY =
      new ASN1ObjectIdentifier("1.3.6.1.4.1.57264.2");

  private final Signer signer;
  private final TsaChain chain;
  private final ASN1ObjectIdentifier policy;
  private final Duration accuracy;
  private final Clock clock;
  private final SecureRandom random;
  private final DigestCalculatorProvider digests;

  public TimestampAuthority(
      Signer signer, TsaChain chain, ASN1ObjectIdentifier policy, Duration accuracy, Clock clock,
      SecureRandom random) {
    if (!chain.leaf().getSubjectPublicKeyInfo()
        .equals(SubjectPublicKeyInfo.getInstance(signer.publicKey().getEncoded()))) {
      throw new IllegalArgumentException("the TSA certificate does not certify the signer's key");
    }
    if (accuracy.isNegative() || accuracy.isZero()) {
      throw new IllegalArgumentException("accuracy must be positive, got " + accuracy);
    }
    this.signer = signer;
    this.chain = chain;
    this.policy = policy;
    this.accuracy = accuracy;
    this.clock = clock;
    this.random = random;
    try {
      this.digests = new JcaDigestCalculatorProviderBuilder().build();
    } catch (OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  public TsaChain chain() {
    return chain;
  }

  public ASN1ObjectIdentifier policy() {
    return policy;
  }

  /** The DER {@code TimeStampResp} for the DER {@code TimeStampReq} {@code request}. */
  public byte[] respond(byte[] request) {
    try {
      return response(request).getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a TimeStampResp", e);
    }
  }

  TimeStampResponse response(byte[] der) {
    TimeStampRequest request;
    try {
      // fromByteArray refuses trailing bytes after the request.
      request = new TimeStampRequest(TimeStampReq.getInstance(ASN1Primitive.fromByteArray(der)));
    } catch (IOException | RuntimeException e) {
      return failure(PKIFailureInfo.badDataFormat, "malformed TimeStampReq: " + e.getMessage());
    }
    if (request.getVersion() != 1) {
      return failure(
          PKIFailureInfo.badDataFormat, "unsupported TimeStampReq version " + request.getVersion());
    }
    try {
      // Extensions: none understood, so any is refused (RFC 3161 §2.4.2 unacceptedExtension).
      request.validate(IMPRINT_ALGORITHMS, Set.of(policy), Set.of());
    } catch (TSPValidationException e) {
      return failure(e.getFailureCode(), e.getMessage());
    } catch (TSPException e) {
      return failure(PKIFailureInfo.badRequest, e.getMessage());
    }
    try {
      return granted(request);
    } catch (TSPException | OperatorCreationException | RuntimeException e) {
      // The key could not sign (an HSM or KMS away): the client may retry later.
      LOG.errorf(e, "cannot sign a timestamp token");
      return failure(PKIFailureInfo.systemFailure, "the TSA cannot sign now");
    }
  }

  private TimeStampResponse granted(TimeStampRequest request)
      throws TSPException, OperatorCreationException {
    // One generator per request: BouncyCastle's generators and our ContentSigner hold state.
    var signerInfo =
        new SignerInfoGeneratorBuilder(digests)
            .build(new SignerContentSigner(signer), chain.leaf());
    var tokens =
        new TimeStampTokenGenerator(
            signerInfo,
            // ESSCertIDv2 with SHA-256 names the TSA certificate in the signed attributes.
            digests.get(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256)),
            policy);
    setAccuracy(tokens);
    // certReq asks for the TSA certificate (RFC 3161 §2.4.1); BouncyCastle adds it only then. The
    // root is left out, as sigstore's TSA leaves it out: verifiers must hold it already, and CMS
    // certificates are a DER SET OF, sorted by encoding, so a root could come first, and older
    // sigstore verifiers take the first certificate for the TSA's.
    tokens.addCertificates(new CollectionStore<>(List.of(chain.leaf())));
    var responses =
        new TimeStampResponseGenerator(tokens, IMPRINT_ALGORITHMS, Set.of(policy), Set.of());
    return responses.generateGrantedResponse(
        request, TsaCertificates.serial(random), Date.from(clock.instant()));
  }

  private void setAccuracy(TimeStampTokenGenerator tokens) {
    long seconds = accuracy.getSeconds();
    int millis = accuracy.toMillisPart();
    int micros = (accuracy.toNanosPart() / 1000) % 1000;
    // RFC 3161 §2.4.2: absent fields are zero; present millis/micros are 1..999.
    if (seconds > 0) {
      tokens.setAccuracySeconds((int) Math.min(seconds, Integer.MAX_VALUE));
    }
    if (millis > 0) {
      tokens.setAccuracyMillis(millis);
    }
    if (micros > 0) {
      tokens.setAccuracyMicros(micros);
    }
  }

  private static TimeStampResponse failure(int failInfo, String reason) {
    try {
      return new TimeStampResponseGenerator(null, null)
          .generateFailResponse(PKIStatus.REJECTION, failInfo, reason);
    } catch (TSPException e) {
      throw new IllegalStateException("cannot build a rejection response", e);
    }
  }
}
