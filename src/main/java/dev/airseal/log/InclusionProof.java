package dev.airseal.log;

import java.security.MessageDigest;
import java.util.List;

/**
 * Verifies RFC 6962 inclusion proofs (RFC 9162 section 2.1.3.2), in the decomposition used by
 * transparency-dev/merkle: the proof is "inner" siblings below the point where the leaf's path
 * leaves the last full subtree, then "border" siblings along the right edge.
 */
public final class InclusionProof {
  private InclusionProof() {}

  public static void verify(
      long leafIndex, long treeSize, byte[] leafHash, List<byte[]> proof, byte[] root)
      throws LogProofException {
    byte[] calculated = rootFromProof(leafIndex, treeSize, leafHash, proof);
    if (!MessageDigest.isEqual(calculated, root)) {
      throw new LogProofException(
          "calculated root "
              + Hex.encode(calculated)
              + " does not match expected root "
              + (root == null ? "null" : Hex.encode(root)));
    }
  }

  public static byte[] rootFromProof(
      long leafIndex, long treeSize, byte[] leafHash, List<byte[]> proof)
      throws LogProofException {
    if (leafIndex < 0 || treeSize <= 0 || leafIndex >= treeSize) {
      throw new LogProofException("leaf index " + leafIndex + " is not in a tree of size " + treeSize);
    }
    requireHash(leafHash, "leaf hash");
    int inner = innerProofSize(leafIndex, treeSize);
    int border = Long.bitCount(leafIndex >>> inner);
    if (proof.size() != inner + border) {
      throw new LogProofException(
          "proof has " + proof.size() + " hashes, want " + (inner + border));
    }
    for (byte[] h : proof) {
      requireHash(h, "proof hash");
    }
    byte[] res = chainInner(leafHash, proof.subList(0, inner), leafIndex);
    return chainBorderRight(res, proof.subList(inner, proof.size()));
  }

  static int innerProofSize(long index, long size) {
    return 64 - Long.numberOfLeadingZeros(index ^ (size - 1));
  }

  static byte[] chainInner(byte[] seed, List<byte[]> proof, long index) {
    for (int i = 0; i < proof.size(); i++) {
      seed =
          ((index >>> i) & 1) == 0
              ? Rfc6962.hashChildren(seed, proof.get(i))
              : Rfc6962.hashChildren(proof.get(i), seed);
    }
    return seed;
  }

  static byte[] chainInnerRight(byte[] seed, List<byte[]> proof, long index) {
    for (int i = 0; i < proof.size(); i++) {
      if (((index >>> i) & 1) == 1) {
        seed = Rfc6962.hashChildren(proof.get(i), seed);
      }
    }
    return seed;
  }

  static byte[] chainBorderRight(byte[] seed, List<byte[]> proof) {
    for (byte[] h : proof) {
      seed = Rfc6962.hashChildren(h, seed);
    }
    return seed;
  }

  static void requireHash(byte[] h, String what) throws LogProofException {
    if (h == null || h.length != Rfc6962.HASH_SIZE) {
      throw new LogProofException(
          what + " has " + (h == null ? 0 : h.length) + " bytes, want " + Rfc6962.HASH_SIZE);
    }
  }
}
