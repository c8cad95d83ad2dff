package dev.airseal.log;

/**
 * Hashes of perfect subtrees: the node at {@code level} and {@code index} covers leaves {@code
 * [index << level, (index + 1) << level)}. Perfect nodes never change once their leaves exist, which
 * is what lets proofs for any tree size be built from stored tiles.
 */
@FunctionalInterface
public interface NodeSource {
  byte[] node(int level, long index);
}
