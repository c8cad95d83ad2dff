package dev.airseal.bench;

import dev.airseal.log.LogStore;
import dev.airseal.log.Rfc6962;
import dev.airseal.log.StoredEntry;
import dev.airseal.log.TreeAppender;
import dev.airseal.log.TreeHead;
import dev.airseal.log.TreeSnapshot;
import dev.airseal.log.checkpoint.Checkpoint;
import dev.airseal.log.note.NoteSigner;
import dev.airseal.log.note.NoteSigners;
import dev.airseal.log.note.SignedNote;
import dev.airseal.log.store.JdbcLogStore;
import dev.airseal.signing.Signer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Grows a log to a given size the way the sequencer does, minus the queue: leaves go through
 * {@link TreeAppender} over the last snapshot, and each large batch is written with a signed head.
 * Bodies are tiny and SETs are dummies; the tree is real, so the log reopened on the store checks
 * its tiles against the signed root.
 *
 * <p>Both ways write batches through {@link LogStore#commit} (entries, tiles, head, sync). The
 * direct one then declares the lookup indexes complete without filing them (proofs read tiles
 * only); loading via the store leaves them to be filed when the log opens, as after a crash.
 */
public final class BulkLoader {
  static final String HOSTNAME = "bench.airseal";
  private static final byte[] DUMMY_SET = new byte[71];

  private BulkLoader() {}

  /** The synthetic body of entry {@code i}; its leaf hash is what a proof for {@code i} proves. */
  public static byte[] body(long i) {
    return ("{\"bulk\":" + i + "}").getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] leafHash(long i) {
    return Rfc6962.hashLeaf(body(i));
  }

  /** How batches reach the database. */
  public interface BatchWriter {
    void write(long previousSize, List<StoredEntry> entries, List<LogStore.TileRow> tiles, TreeHead head);

    default void finish() {}
  }

  /** Loads entries [store size, size) in commits of {@code batch} and returns the final head. */
  public static TreeHead load(LogStore store, Signer signer, long size, int batch) {
    return load(store, store::commit, signer, size, batch);
  }

  /** As {@link #load(LogStore, Signer, long, int)}, writing batches with {@code writer}. */
  public static TreeHead load(
      LogStore store, BatchWriter writer, Signer signer, long size, int batch) {
    NoteSigner noteSigner = NoteSigners.forSigner(HOSTNAME, signer);
    long treeId = 1;
    TreeHead head = store.head().orElse(null);
    if (head == null) {
      head = sign(noteSigner, treeId, 0, Rfc6962.emptyRoot());
      store.create(head);
    }
    treeId = head.treeId();
    TreeSnapshot snapshot =
        TreeSnapshot.restore(
            head.size(),
            store::tileBytes,
            (level, index) -> {
              throw new IllegalStateException("the bulk loader reads no full tiles");
            });
    long integratedTime = System.currentTimeMillis() / 1000;
    while (snapshot.size() < size) {
      long from = snapshot.size();
      int n = (int) Math.min(batch, size - from);
      TreeAppender appender = new TreeAppender(snapshot);
      List<StoredEntry> entries = new ArrayList<>(n);
      for (long i = from; i < from + n; i++) {
        byte[] body = body(i);
        byte[] leaf = Rfc6962.hashLeaf(body);
        appender.append(leaf);
        entries.add(
            new StoredEntry(
                i, leaf, integratedTime, "bulk", "0.0.1", body, DUMMY_SET, List.of()));
      }
      List<LogStore.TileRow> tiles = appender.dirtyTileRows();
      snapshot = appender.snapshot();
      TreeHead next = sign(noteSigner, treeId, snapshot.size(), snapshot.root());
      writer.write(from, entries, tiles, next);
      head = next;
    }
    writer.finish();
    return head;
  }

  /**
   * Writes each batch through the store's own commit (entries, tiles, head, sync) and, at the end,
   * declares the lookup indexes complete without filing them: proof trees are never looked up by
   * leaf hash, and filing 10M random keys would dominate the load.
   */
  public static BatchWriter direct(DataSource ds) {
    JdbcLogStore store = new JdbcLogStore(ds);
    return new BatchWriter() {
      private long size;

      @Override
      public void write(
          long previousSize, List<StoredEntry> entries, List<LogStore.TileRow> tiles, TreeHead head) {
        store.commit(previousSize, entries, tiles, head);
        size = head.size();
      }

      @Override
      public void finish() {
        store.index(List.of(), size);
      }
    };
  }

  private static TreeHead sign(NoteSigner signer, long treeId, long size, byte[] root) {
    String origin = HOSTNAME + " - " + treeId;
    String note = SignedNote.sign(new Checkpoint(origin, size, root).body(), signer);
    return new TreeHead(treeId, size, root, note, System.currentTimeMillis());
  }
}
