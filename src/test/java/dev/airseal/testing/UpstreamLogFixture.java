package dev.airseal.testing;

import dev.airseal.log.ProofBuilder;
import dev.airseal.log.Rfc6962;
import dev.airseal.log.checkpoint.Checkpoint;
import dev.airseal.log.note.NoteSigners;
import dev.airseal.log.note.SignedNote;
import dev.airseal.signing.SignatureAlgorithm;
import dev.airseal.signing.Signer;
import dev.airseal.signing.soft.KeyGeneration;
import dev.airseal.signing.soft.SoftwareSigner;
import dev.airseal.trust.TrustRootException;
import dev.airseal.trust.TrustedRoot;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An upstream log made in memory: leaves, RFC 6962 roots and consistency proofs for any size, and
 * checkpoints signed as Rekor v1 signs them (ECDSA note signature named by the host).
 */
public final class UpstreamLogFixture {
  public final String host;
  public final String origin;
  public final Signer key;
  private final List<byte[]> leaves = new ArrayList<>();
  private final ProofBuilder proofs = new ProofBuilder(this::node);

  public UpstreamLogFixture(String host) {
    this(host, new SoftwareSigner(KeyGeneration.generate(SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256),
        SignatureAlgorithm.PKIX_ECDSA_P256_SHA_256));
  }

  /** Appends {@code n} leaves whose content starts with {@code tag}; a different tag forks the log. */
  public UpstreamLogFixture append(int n, String tag) {
    for (int i = 0; i < n; i++) {
      leaves.add(Rfc6962.hashLeaf((tag + "-" + leaves.size()).getBytes(StandardCharsets.UTF_8)));
    }
    return this;
  }

  /** A copy holding the first {@code size} leaves, to fork from. */
  public UpstreamLogFixture fork(int size) {
    UpstreamLogFixture f = new UpstreamLogFixture(host, key);
    f.leaves.addAll(leaves.subList(0, size));
    return f;
  }

  private UpstreamLogFixture(String host, Signer key) {
    this.host = host;
    this.origin = host + " - 1234567890";
    this.key = key;
  }

  public long size() {
    return leaves.size();
  }

  public byte[] root(long size) {
    return proofs.root(size);
  }

  public List<byte[]> consistency(long size1, long size2) {
    return proofs.consistency(size1, size2);
  }

  /** The checkpoint at {@code size}, signed by this log's key. */
  public String checkpoint(long size) {
    return SignedNote.sign(new Checkpoint(origin, size, root(size)).body(), NoteSigners.ecdsa(host, key));
  }

  /** A trust root naming this log, its key valid from {@code validFrom}. */
  public TrustedRoot trustRoot(Instant validFrom) {
    try {
      return TrustedRoot.parse(TrustedRoots.forLog(key.publicKey(), "https://" + host, validFrom)
          .getBytes(StandardCharsets.UTF_8));
    } catch (TrustRootException e) {
      throw new IllegalStateException(e);
    }
  }

  private byte[] node(int level, long index) {
    if (level == 0) {
      return leaves.get((int) index);
    }
    return Rfc6962.hashChildren(node(level - 1, 2 * index), node(level - 1, 2 * index + 1));
  }
}
