package dev.airseal.log;

import java.security.MessageDigest;
import java.util.List;

/** Verifies RFC 6962 consistency proofs between two tree sizes (RFC 9162 section 2.1.4.2). */
public final class ConsistencyProof {
  private ConsistencyProof() {}

  public static void verify(long size1, long size2, List<byte[]> proof, byte[] root1, byte[] root2)
      throws LogProofException {
    if (size1 < 0 || size2 < size1) {
      throw new LogProofException("size2 " + size2 + " < size1 " + size1);
    }
    // RFC 9162 section 2.1.4 defines proofs for 0 < size1 only: every tree extends the empty
    // tree, so a "proof" from size 0 proves nothing, and transparency-dev/merkle rejects it
    // (testdata/consistency/additional/*zero*), even for size1 = size2 = 0.
    if (size1 == 0) {
      throw new LogProofException("consistency proof from the empty tree is meaningless");
    }
    if (size1 == size2) {
      if (!proof.isEmpty()) {
        throw new LogProofException("size1 = size2 but the proof is not empty");
      }
      match(root1, root2, "root1");
      return;
    }
    if (proof.isEmpty()) {
      throw new LogProofException("empty proof for " + size1 + " -> " + size2);
    }
    InclusionProof.requireHash(root1, "root1");
    InclusionProof.requireHash(root2, "root2");
    for (byte[] h : proof) {
      InclusionProof.requireHash(h, "proof hash");
    }
    int inner = InclusionProof.innerProofSize(size1 - 1, size2);
    int border = Long.bitCount((size1 - 1) >>> inner);
    int shift = Long.numberOfTrailingZeros(size1);
    inner -= shift;
    // The proof starts with the root of the subtree of size 2^shift, unless size1 is that subtree.
    byte[] seed = proof.get(0);
    int start = 1;
    if (size1 == 1L << shift) {
      seed = root1;
      start = 0;
    }
    if (proof.size() != start + inner + border) {
      throw new LogProofException(
          "proof has " + proof.size() + " hashes, want " + (start + inner + border));
    }
    List<byte[]> rest = proof.subList(start, proof.size());
    long mask = (size1 - 1) >>> shift;
    byte[] hash1 = InclusionProof.chainInnerRight(seed, rest.subList(0, inner), mask);
    hash1 = InclusionProof.chainBorderRight(hash1, rest.subList(inner, rest.size()));
    match(hash1, root1, "root1");
    byte[] hash2 = InclusionProof.chainInner(seed, rest.subList(0, inner), mask);
    hash2 = InclusionProof.chainBorderRight(hash2, rest.subList(inner, rest.size()));
    match(hash2, root2, "root2");
  }

  private static void match(byte[] calculated, byte[] expected, String what)
      throws LogProofException {
    if (expected == null || !MessageDigest.isEqual(calculated, expected)) {
      throw new LogProofException(
          "calculated "
              + what
              + " "
              + Hex.encode(calculated)
              + " does not match "
              + (expected == null ? "null" : Hex.encode(expected)));
    }
  }
}
