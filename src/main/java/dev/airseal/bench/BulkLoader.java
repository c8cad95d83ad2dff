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
import dev.airseal.signing.Signer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Grows a log to a given size the way the sequencer does, minus the queue: leaves go through
 * {@link TreeAppender} over the last snapshot, and each large batch is written with a signed head.
 * Bodies are tiny and SETs are dummies; the tree is real, so the log reopened on the store checks
 * its tiles against the signed root.
 *
 * <p>Two ways to write a batch. {@link LogStore#commit} is the sequencer's own path (entries, leaf
 * index, tiles, head, then {@code CHECKPOINT SYNC}); its random-key leaf index rewrites pages all
 * over the file on every sync, which makes a 1M-entry load take minutes and gigabytes. The direct
 * path inserts entry rows, tiles and the head in one transaction per batch with a single sync at
 * the end, and leaves the leaf index empty: proofs read tiles only.
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

  /** Writes entry rows, tiles and the head directly; no leaf or key index; one sync at the end. */
  public static BatchWriter direct(DataSource ds) {
    return new BatchWriter() {
      @Override
      public void write(
          long previousSize, List<StoredEntry> entries, List<LogStore.TileRow> tiles, TreeHead head) {
        try (Connection c = ds.getConnection()) {
          c.setAutoCommit(false);
          try (PreparedStatement pe =
                  c.prepareStatement(
                      "INSERT INTO log_entry (idx, leaf_hash, integrated_time, kind, api_version,"
                          + " body, signed_entry_timestamp) VALUES (?, ?, ?, ?, ?, ?, ?)");
              PreparedStatement pt =
                  c.prepareStatement(
                      "MERGE INTO log_tile (tile_level, tile_index, hashes)"
                          + " KEY (tile_level, tile_index) VALUES (?, ?, ?)");
              PreparedStatement ph =
                  c.prepareStatement(
                      // Proof trees need no lookups: their indexes are declared complete, not built.
                      "UPDATE log_head SET tree_size = ?, root_hash = ?, checkpoint = ?,"
                          + " updated_at = ?, indexed_size = ? WHERE id = 1 AND tree_size = ?")) {
            for (StoredEntry e : entries) {
              pe.setLong(1, e.index());
              pe.setBytes(2, e.leafHash());
              pe.setLong(3, e.integratedTime());
              pe.setString(4, e.kind());
              pe.setString(5, e.apiVersion());
              pe.setBytes(6, e.body());
              pe.setBytes(7, e.signedEntryTimestamp());
              pe.addBatch();
            }
            pe.executeBatch();
            for (LogStore.TileRow t : tiles) {
              pt.setInt(1, t.level());
              pt.setLong(2, t.index());
              pt.setBytes(3, t.hashes());
              pt.addBatch();
            }
            pt.executeBatch();
            ph.setLong(1, head.size());
            ph.setBytes(2, head.root());
            ph.setString(3, head.checkpoint());
            ph.setLong(4, head.timestamp());
            ph.setLong(5, head.size());
            ph.setLong(6, previousSize);
            if (ph.executeUpdate() != 1) {
              throw new IllegalStateException("tree head moved away from size " + previousSize);
            }
          }
          c.commit();
        } catch (SQLException e) {
          throw new IllegalStateException("bulk load failed at size " + previousSize, e);
        }
      }

      @Override
      public void finish() {
        try (Connection c = ds.getConnection();
            Statement s = c.createStatement()) {
          s.execute("CHECKPOINT SYNC");
        } catch (SQLException e) {
          throw new IllegalStateException("cannot sync the bulk-loaded database", e);
        }
      }
    };
  }

  private static TreeHead sign(NoteSigner signer, long treeId, long size, byte[] root) {
    String origin = HOSTNAME + " - " + treeId;
    String note = SignedNote.sign(new Checkpoint(origin, size, root).body(), signer);
    return new TreeHead(treeId, size, root, note, System.currentTimeMillis());
  }
}
