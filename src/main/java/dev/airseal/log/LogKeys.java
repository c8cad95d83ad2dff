package dev.airseal.log;

import dev.airseal.signing.Signer;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The keys a log has signed with, each from an integration second on. One tree, several keys: a
 * rotated log keeps its entries, and an entry's SET, log ID and the checkpoint of its batch are
 * all by the key of the entry's integration time, so a client that finds the log by the entry's
 * log ID and checks the time against that key's window accepts all three.
 */
public final class LogKeys {

  /**
   * One key and the first second it signs for.
   *
   * @param signer empty where this replica does not hold the key (a follower after a rotation, or
   *     a retired key whose file is gone): it can still name and verify, not sign
   */
  public record Epoch(long fromSecond, PublicKey publicKey, String logIdHex, Optional<Signer> signer) {
    public Signer requireSigner() {
      return signer.orElseThrow(
          () -> new IllegalStateException(
              "this replica does not hold log key " + logIdHex + ": set airseal.log.key to it"));
    }
  }

  private final List<Epoch> epochs;

  private LogKeys(List<Epoch> epochs) {
    this.epochs = List.copyOf(epochs);
  }

  /** A log that has only ever had {@code signer}. */
  public static LogKeys of(Signer signer) {
    return new LogKeys(List.of(epoch(Long.MIN_VALUE, signer.publicKey(), Optional.of(signer))));
  }

  /** Keys in the order they were used; the first one's start is ignored (it signed from the beginning). */
  public static LogKeys of(List<Epoch> epochs) {
    if (epochs.isEmpty()) {
      throw new IllegalArgumentException("a log has at least one key");
    }
    List<Epoch> out = new ArrayList<>(epochs);
    Epoch first = out.get(0);
    out.set(0, new Epoch(Long.MIN_VALUE, first.publicKey(), first.logIdHex(), first.signer()));
    for (int i = 1; i < out.size(); i++) {
      if (out.get(i).fromSecond() <= out.get(i - 1).fromSecond()) {
        throw new IllegalArgumentException("log keys must start in order: " + out);
      }
    }
    return new LogKeys(out);
  }

  public static Epoch epoch(long fromSecond, PublicKey key, Optional<Signer> signer) {
    return new Epoch(fromSecond, key, Hex.encode(Rfc6962.sha256(key.getEncoded())), signer);
  }

  /** These keys and {@code next}, which signs entries integrated at {@code fromSecond} or later. */
  public LogKeys then(long fromSecond, Signer next) {
    Epoch last = current();
    if (fromSecond <= last.fromSecond()) {
      throw new IllegalArgumentException(
          "a new log key must start after the current one (" + last.fromSecond() + "), not at " + fromSecond);
    }
    Epoch e = epoch(fromSecond, next.publicKey(), Optional.of(next));
    if (byLogId(e.logIdHex()).isPresent()) {
      throw new IllegalArgumentException("log key " + e.logIdHex() + " was used before: a rotation needs a new key");
    }
    List<Epoch> out = new ArrayList<>(epochs);
    out.add(e);
    return new LogKeys(out);
  }

  /** The key for entries integrated at {@code epochSecond}. */
  public Epoch at(long epochSecond) {
    Epoch found = epochs.get(0);
    for (Epoch e : epochs) {
      if (e.fromSecond() <= epochSecond) {
        found = e;
      }
    }
    return found;
  }

  /** The newest key. */
  public Epoch current() {
    return epochs.get(epochs.size() - 1);
  }

  public Optional<Epoch> byLogId(String logIdHex) {
    return epochs.stream().filter(e -> e.logIdHex().equals(logIdHex)).findFirst();
  }

  public List<Epoch> epochs() {
    return epochs;
  }
}
