package dev.airseal.log;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds RFC 6962 inclusion (PATH) and consistency (PROOF) proofs from perfect-subtree hashes, so
 * each proof costs O(log n) node reads whatever the tree size.
 */
public final class ProofBuilder {
  private final NodeSource nodes;

  public ProofBuilder(NodeSource nodes) {
    this.nodes = nodes;
  }

  /** RFC 6962 section 2.1.1 PATH(m, D[0:n]), leaf-most hash first. */
  public List<byte[]> inclusion(long index, long size) {
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException("index " + index + " not in tree of size " + size);
    }
    List<byte[]> out = new ArrayList<>();
    path(index, 0, size, out);
    return out;
  }

  private void path(long m, long lo, long hi, List<byte[]> out) {
    if (hi - lo == 1) {
      return;
    }
    long k = largestPowerOfTwoBelow(hi - lo);
    if (m - lo < k) {
      path(m, lo, lo + k, out);
      out.add(rangeHash(lo + k, hi));
    } else {
      path(m, lo + k, hi, out);
      out.add(rangeHash(lo, lo + k));
    }
  }

  /** RFC 6962 section 2.1.2 PROOF(m, D[0:n]). Empty when m is 0 or m equals n. */
  public List<byte[]> consistency(long size1, long size2) {
    if (size1 < 0 || size2 < size1) {
      throw new IllegalArgumentException("bad sizes " + size1 + " -> " + size2);
    }
    List<byte[]> out = new ArrayList<>();
    if (size1 == 0 || size1 == size2) {
      return out;
    }
    subproof(size1, 0, size2, true, out);
    return out;
  }

  private void subproof(long m, long lo, long hi, boolean b, List<byte[]> out) {
    long n = hi - lo;
    if (m == n) {
      if (!b) {
        out.add(rangeHash(lo, hi));
      }
      return;
    }
    long k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      subproof(m, lo, lo + k, b, out);
      out.add(rangeHash(lo + k, hi));
    } else {
      subproof(m - k, lo + k, hi, false, out);
      out.add(rangeHash(lo, lo + k));
    }
  }

  /** MTH(D[0:size]). */
  public byte[] root(long size) {
    return size == 0 ? Rfc6962.emptyRoot() : rangeHash(0, size);
  }

  /**
   * MTH(D[lo:hi]) where lo is aligned to the largest power of two below hi - lo, as every range in
   * the RFC's recursion is: the left part is one perfect node, the right part recurses.
   */
  byte[] rangeHash(long lo, long hi) {
    long n = hi - lo;
    if (Long.bitCount(n) == 1) {
      int level = Long.numberOfTrailingZeros(n);
      return nodes.node(level, lo >>> level);
    }
    // Fold the right edge: perfect subtrees of decreasing size, combined right to left.
    List<byte[]> parts = new ArrayList<>();
    long start = lo;
    while (start < hi) {
      long k = Long.highestOneBit(hi - start);
      int level = Long.numberOfTrailingZeros(k);
      parts.add(nodes.node(level, start >>> level));
      start += k;
    }
    byte[] acc = parts.get(parts.size() - 1);
    for (int i = parts.size() - 2; i >= 0; i--) {
      acc = Rfc6962.hashChildren(parts.get(i), acc);
    }
    return acc;
  }

  static long largestPowerOfTwoBelow(long n) {
    return Long.highestOneBit(n - 1);
  }
}
