package dev.airseal.log;

import dev.airseal.log.checkpoint.Checkpoint;
import dev.airseal.log.note.NoteSigner;
import dev.airseal.log.note.NoteSigners;
import dev.airseal.log.note.SignedNote;
import dev.airseal.log.sequencer.Appended;
import dev.airseal.log.sequencer.EntryDraft;
import dev.airseal.log.sequencer.Sequencer;
import dev.airseal.log.tile.TileCache;
import dev.airseal.signing.Signer;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One RFC 6962 log: its store, its key, the published tree and the sequencer that grows it. Pure
 * Java; the REST layer and the CLI sit on top.
 */
public final class TransparencyLog implements AutoCloseable {

  public record Settings(
      String hostname,
      int batchSize,
      Duration batchMaxDelay,
      int maxPending,
      int tileCacheSize,
      Duration indexInterval) {}

  /** The published state: readers see a tree and the checkpoint that commits to it together. */
  public record Published(TreeSnapshot tree, TreeHead head) {}

  /**
   * How a follower hands an append to the replica that sequences: completes with the entry's index
   * once it is durable there, or with {@link dev.airseal.log.sequencer.DuplicateEntryException}.
   */
  @FunctionalInterface
  public interface Forwarder {
    CompletableFuture<Long> forward(EntryDraft draft);
  }

  private final LogStore store;
  // Read at every signature: a rotation (a new key from a second on) takes effect without a restart.
  private final Supplier<LogKeys> keys;
  private final String hostname;
  private final long treeId;
  private final TileCache tiles;
  private final EntryIndex index;
  // Exactly one of these two: a leader sequences, a follower forwards.
  private final Sequencer sequencer;
  private final Forwarder forwarder;
  private volatile Published published;

  private TransparencyLog(
      LogStore store, Supplier<LogKeys> keys, Settings settings, Sequencer.EntrySigner entrySigner,
      Clock clock) {
    this.store = store;
    this.keys = keys;
    this.hostname = settings.hostname();
    this.tiles = new TileCache(settings.tileCacheSize(), store::tileBytes);
    TreeHead head = store.head().orElse(null);
    if (head == null) {
      long id = new SecureRandom().nextLong() & Long.MAX_VALUE;
      head = signHead(id, 0, Rfc6962.emptyRoot(), clock.millis(), clock.instant().getEpochSecond());
      store.create(head);
    }
    this.treeId = head.treeId();
    TreeSnapshot tree = TreeSnapshot.restore(head.size(), store::tileBytes, tiles);
    // Refuse to serve a tree whose stored tiles do not hash to the signed head.
    if (!MessageDigest.isEqual(tree.root(), head.root())) {
      throw new IllegalStateException(
          "stored tiles give root " + Hex.encode(tree.root()) + " at size " + head.size()
              + " but the tree head says " + Hex.encode(head.root()));
    }
    this.published = new Published(tree, head);
    this.forwarder = null;
    this.index = new EntryIndex(store, head.size(), settings.indexInterval().toMillis());
    this.sequencer =
        new Sequencer(
            store,
            index,
            entrySigner,
            (size, root, ts, integrated) -> signHead(treeId, size, root, ts, integrated),
            new Sequencer.Publisher() {
              @Override
              public TreeSnapshot current() {
                return published.tree();
              }

              @Override
              public void publish(TreeSnapshot t, TreeHead h) {
                published = new Published(t, h);
              }
            },
            touched -> touched.forEach(tiles::put),
            settings.batchSize(),
            settings.batchMaxDelay(),
            settings.maxPending(),
            clock);
  }

  // A follower: reads the tree another replica grows, never writes.
  private TransparencyLog(
      LogStore store, Supplier<LogKeys> keys, Settings settings, TreeHead head, Forwarder forwarder) {
    this.store = store;
    this.keys = keys;
    this.hostname = settings.hostname();
    this.tiles = new TileCache(settings.tileCacheSize(), store::tileBytes);
    this.treeId = head.treeId();
    this.index = EntryIndex.follower(store);
    this.sequencer = null;
    this.forwarder = forwarder;
    this.published = new Published(TreeSnapshot.empty(tiles), head);
    refreshFrom(head);
  }

  /**
   * Opens a log that another replica sequences: reads serve the stored tree as of the last {@link
   * #refresh}, appends go through {@code forwarder}. Empty when the store holds no tree yet.
   */
  public static Optional<TransparencyLog> follow(
      LogStore store, Signer signer, Settings settings, Forwarder forwarder) {
    LogKeys k = LogKeys.of(signer);
    return follow(store, () -> k, settings, forwarder);
  }

  /** As {@link #follow(LogStore, Signer, Settings, Forwarder)}, for a log whose key may rotate. */
  public static Optional<TransparencyLog> follow(
      LogStore store, Supplier<LogKeys> keys, Settings settings, Forwarder forwarder) {
    return store.head().map(h -> new TransparencyLog(store, keys, settings, h, forwarder));
  }

  /** Whether this log sequences appends itself (the leader) or forwards them (a follower). */
  public boolean sequencing() {
    return sequencer != null;
  }

  /**
   * A follower catches up with the stored tree head; returns the published size. Readers never see
   * a tree whose tiles do not hash to its signed head.
   */
  public synchronized long refresh() {
    if (sequencer != null) {
      return published.tree().size();
    }
    store.head().ifPresent(this::refreshFrom);
    return published.tree().size();
  }

  private void refreshFrom(TreeHead head) {
    long from = published.tree().size();
    if (head.size() <= from && published.head().size() == head.size()) {
      return;
    }
    if (head.size() < from) {
      throw new IllegalStateException(
          "stored tree head shrank from " + from + " to " + head.size() + ": refusing to follow");
    }
    TreeSnapshot tree = TreeSnapshot.restore(head.size(), store::tileBytes, tiles);
    if (!MessageDigest.isEqual(tree.root(), head.root())) {
      throw new IllegalStateException(
          "stored tiles give root " + Hex.encode(tree.root()) + " at size " + head.size()
              + " but the tree head says " + Hex.encode(head.root()));
    }
    long indexed = store.indexedSize();
    if (indexed < head.size()) {
      index.followed(store.entries(Math.max(from, indexed), head.size()), indexed);
    } else {
      index.followed(java.util.List.of(), indexed);
    }
    published = new Published(tree, head);
  }

  public static TransparencyLog open(
      LogStore store, Signer signer, Settings settings, Sequencer.EntrySigner entrySigner,
      Clock clock) {
    LogKeys k = LogKeys.of(signer);
    return new TransparencyLog(store, () -> k, settings, entrySigner, clock);
  }

  /** As {@link #open(LogStore, Signer, Settings, Sequencer.EntrySigner, Clock)}, for a log whose key may rotate. */
  public static TransparencyLog open(
      LogStore store, Supplier<LogKeys> keys, Settings settings, Sequencer.EntrySigner entrySigner,
      Clock clock) {
    return new TransparencyLog(store, keys, settings, entrySigner, clock);
  }

  // A batch's checkpoint is signed by the key of the batch's integration time, the key its SETs
  // are signed with: clients verify the checkpoint with the log they found by the entry's log ID.
  private TreeHead signHead(long id, long size, byte[] root, long timestamp, long integratedSecond) {
    String note = SignedNote.sign(new Checkpoint(origin(id), size, root).body(), noteSigner(integratedSecond));
    return new TreeHead(id, size, root, note, timestamp);
  }

  /** Rekor v1 signs checkpoints with the host name and a key hint of SHA-256(PKIX DER)[:4]. */
  private NoteSigner noteSigner(long integratedSecond) {
    return NoteSigners.forSigner(hostname, keys.get().at(integratedSecond).requireSigner());
  }

  private String origin(long id) {
    return hostname + " - " + id;
  }

  /** Where the sequencer reports appends and batches (metrics); replaces any earlier listener. */
  public void listener(Sequencer.Listener listener) {
    if (sequencer != null) {
      sequencer.listener(listener);
    }
  }

  public CompletableFuture<Appended> append(EntryDraft draft) {
    if (sequencer != null) {
      return sequencer.submit(draft);
    }
    // Forwarded: answer from this replica's own view once it has caught up with the entry, so a
    // client reading here next finds what it was told was appended.
    return forwarder
        .forward(draft)
        .thenApply(
            idx -> {
              if (published.tree().size() <= idx) {
                refresh();
              }
              Published p = published;
              if (p.tree().size() <= idx) {
                throw new IllegalStateException(
                    "the leader acknowledged index " + idx + " but the stored tree has size "
                        + p.tree().size());
              }
              StoredEntry e =
                  store.entry(idx).orElseThrow(() -> new IllegalStateException("entry " + idx + " vanished"));
              return new Appended(e, p.tree(), p.head());
            });
  }

  public Published published() {
    return published;
  }

  /** An entry of the published tree. */
  public Optional<StoredEntry> entry(long index) {
    if (index < 0 || index >= published.tree().size()) {
      return Optional.empty();
    }
    return store.entry(index);
  }

  public Optional<StoredEntry> entryByLeafHash(byte[] leafHash) {
    long size = published.tree().size();
    return index.indexOfLeaf(leafHash).filter(i -> i < size).flatMap(store::entry);
  }

  /** Entry indexes filed under a search key (artifact hash, key hash, e-mail), oldest first. */
  public java.util.List<Long> search(String key, int limit) {
    long size = published.tree().size();
    return index.search(key, limit).stream().filter(i -> i < size).toList();
  }

  public LogStore store() {
    return store;
  }

  public long treeId() {
    return treeId;
  }

  public String origin() {
    return origin(treeId);
  }

  public String hostname() {
    return hostname;
  }

  /** Rekor's log ID: SHA-256 of the PKIX DER public key. */
  public byte[] logId() {
    return Hex.decode(keys.get().current().logIdHex());
  }

  /** The current key's signer; throws if this replica does not hold it. */
  public Signer signer() {
    return keys.get().current().requireSigner();
  }

  /** Every key the log has signed with, and from when. */
  public LogKeys keys() {
    return keys.get();
  }

  @Override
  public void close() {
    if (sequencer != null) {
      sequencer.close();
    }
    index.close();
  }
}
