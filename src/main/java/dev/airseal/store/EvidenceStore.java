package dev.airseal.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.airseal.oci.Digest;
import dev.airseal.oci.Manifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The evidence store: signature and attestation manifests and layers, Sigstore bundle referrers,
 * tag maps and revocations, held in the database so that admission decides without the network.
 * It reads like a registry (manifest by tag or digest, blob by digest, referrers by subject) and
 * is written only in whole batches, each of which bumps one version number that verdict caches key
 * on.
 */
public final class EvidenceStore {
  /** What a commit changed, for cache invalidation. */
  public record Commit(long version, List<EvidenceBatch.Subject> subjects, boolean revocations, boolean policies) {
    /** A change seen only as a new version (made on another replica): anything may differ. */
    public static Commit unknown(long version) {
      return new Commit(version, List.of(), true, true);
    }
  }

  /** A stored policy document and the version that wrote it. */
  public record StoredPolicy(String name, String content, String sha256, long version) {}

  /** Row counts, for the console and {@code bundle import} summaries. */
  public record Stats(long version, long blobs, long blobBytes, long tags, long referrers, long subjects, long revocations) {}

  public record StoredBlob(Digest digest, String mediaType, byte[] content) {}

  /** The store's version, as {@link VersionWatch} names and reads it. */
  public static final String VERSION_NAME = "evidence";
  public static final String VERSION_QUERY = "SELECT version FROM evidence_state WHERE id = 1";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final DataSource ds;

  public EvidenceStore(DataSource ds) {
    this.ds = ds;
  }

  /** The version of the last commit (0 for an empty store). */
  public long version() {
    try (Connection c = ds.getConnection()) {
      return version(c);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the evidence version", e);
    }
  }

  public static long version(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT version FROM evidence_state WHERE id = 1");
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw new SQLException("evidence_state row is missing");
      }
      return rs.getLong(1);
    }
  }

  /** Commits {@code batch} in its own transaction. */
  public Commit commit(EvidenceBatch batch) {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try {
        Commit done = commit(c, batch);
        c.commit();
        return done;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot write the evidence store", e);
    }
  }

  /**
   * Writes {@code batch} inside the caller's transaction (an import commits its record, its audit
   * event and its evidence together). The version row is updated first, so concurrent writers
   * queue on its lock and versions are strictly increasing in commit order.
   */
  public static Commit commit(Connection c, EvidenceBatch batch) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE evidence_state SET version = version + 1 WHERE id = 1")) {
      ps.executeUpdate();
    }
    long v = version(c);
    try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM evidence_blob WHERE digest = ?");
        PreparedStatement ins = c.prepareStatement(
            "INSERT INTO evidence_blob (digest, media_type, size, content, version) VALUES (?, ?, ?, ?, ?)")) {
      for (EvidenceBatch.Blob b : batch.blobs()) {
        exists.setString(1, b.digest().toString());
        try (ResultSet rs = exists.executeQuery()) {
          if (rs.next()) {
            continue; // content-addressed: the same digest is the same bytes
          }
        }
        ins.setString(1, b.digest().toString());
        ins.setString(2, b.mediaType());
        ins.setLong(3, b.content().length);
        ins.setBytes(4, b.content());
        ins.setLong(5, v);
        ins.addBatch();
      }
      ins.executeBatch();
    }
    try (PreparedStatement del = c.prepareStatement("DELETE FROM evidence_tag WHERE repository = ? AND tag = ?");
        PreparedStatement ins = c.prepareStatement(
            "INSERT INTO evidence_tag (repository, tag, digest, version) VALUES (?, ?, ?, ?)")) {
      for (EvidenceBatch.Tag t : batch.tags()) {
        del.setString(1, t.repository());
        del.setString(2, t.tag());
        del.executeUpdate();
        ins.setString(1, t.repository());
        ins.setString(2, t.tag());
        ins.setString(3, t.digest().toString());
        ins.setLong(4, v);
        ins.executeUpdate();
      }
    }
    try (PreparedStatement del = c.prepareStatement("DELETE FROM evidence_referrer WHERE subject = ? AND digest = ?");
        PreparedStatement ins = c.prepareStatement("INSERT INTO evidence_referrer"
            + " (subject, digest, media_type, artifact_type, size, annotations, version) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      for (EvidenceBatch.Referrer r : batch.referrers()) {
        del.setString(1, r.subject().toString());
        del.setString(2, r.digest().toString());
        del.executeUpdate();
        ins.setString(1, r.subject().toString());
        ins.setString(2, r.digest().toString());
        ins.setString(3, r.mediaType());
        ins.setString(4, r.artifactType());
        ins.setLong(5, r.size());
        ins.setString(6, json(new TreeMap<>(r.annotations())));
        ins.setLong(7, v);
        ins.executeUpdate();
      }
    }
    try (PreparedStatement del = c.prepareStatement("DELETE FROM evidence_subject WHERE repository = ? AND digest = ?");
        PreparedStatement ins = c.prepareStatement(
            "INSERT INTO evidence_subject (repository, digest, version) VALUES (?, ?, ?)")) {
      for (EvidenceBatch.Subject s : batch.subjects()) {
        del.setString(1, s.repository());
        del.setString(2, s.digest().toString());
        del.executeUpdate();
        ins.setString(1, s.repository());
        ins.setString(2, s.digest().toString());
        ins.setLong(3, v);
        ins.executeUpdate();
      }
    }
    try (PreparedStatement del = c.prepareStatement("DELETE FROM evidence_revocation WHERE kind = ? AND revoked = ?");
        PreparedStatement ins = c.prepareStatement(
            "INSERT INTO evidence_revocation (kind, revoked, reason, version) VALUES (?, ?, ?, ?)")) {
      for (Revocation r : batch.revocations()) {
        del.setString(1, r.kind().wire());
        del.setString(2, r.value());
        del.executeUpdate();
        ins.setString(1, r.kind().wire());
        ins.setString(2, r.value());
        ins.setString(3, r.reason());
        ins.setLong(4, v);
        ins.executeUpdate();
      }
    }
    try (PreparedStatement del = c.prepareStatement("DELETE FROM evidence_policy WHERE name = ?");
        PreparedStatement ins = c.prepareStatement(
            "INSERT INTO evidence_policy (name, content, sha256, version) VALUES (?, ?, ?, ?)")) {
      for (EvidenceBatch.Policy p : batch.policies()) {
        del.setString(1, p.name());
        del.executeUpdate();
        ins.setString(1, p.name());
        ins.setString(2, p.content());
        ins.setString(3, Digest.of(p.content().getBytes(StandardCharsets.UTF_8)).hex());
        ins.setLong(4, v);
        ins.executeUpdate();
      }
    }
    VersionWatch.announce(c, VERSION_NAME); // other replicas hear it when this transaction commits
    return new Commit(v, batch.subjects(), !batch.revocations().isEmpty(), !batch.policies().isEmpty());
  }

  public Optional<StoredBlob> blob(Digest digest) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT media_type, content FROM evidence_blob WHERE digest = ?")) {
      ps.setString(1, digest.toString());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        byte[] content = rs.getBytes(2);
        // The database is below our trust boundary only up to a point: a row edited behind our back
        // must not pass as evidence.
        if (!Digest.of(content).equals(digest)) {
          throw new IllegalStateException("evidence blob " + digest + " does not hash to its digest");
        }
        return Optional.of(new StoredBlob(digest, rs.getString(1), content));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the evidence store", e);
    }
  }

  /** The digest {@code repository:tag} points at. */
  public Optional<Digest> tag(String repository, String tag) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT digest FROM evidence_tag WHERE repository = ? AND tag = ?")) {
      ps.setString(1, repository);
      ps.setString(2, tag);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(Digest.parse(rs.getString(1))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the evidence store", e);
    }
  }

  /** A manifest by digest or by tag in {@code repository}, as a registry would serve it. */
  public Optional<Manifest> manifest(String repository, String reference) {
    Optional<Digest> d = reference.startsWith("sha256:") ? Optional.of(Digest.parse(reference)) : tag(repository, reference);
    return d.flatMap(this::blob).map(b -> new Manifest(b.content(), b.mediaType(), b.digest()));
  }

  /**
   * The referrers index of {@code subject} as the OCI distribution API returns it (an image index
   * whose descriptors carry {@code artifactType}); empty when nothing refers to it.
   */
  public Optional<Manifest> referrers(Digest subject) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT digest, media_type, artifact_type, size, annotations"
            + " FROM evidence_referrer WHERE subject = ? ORDER BY version, digest")) {
      ps.setString(1, subject.toString());
      ObjectNode index = JSON.createObjectNode();
      index.put("schemaVersion", 2);
      index.put("mediaType", Manifest.OCI_INDEX);
      ArrayNode manifests = index.putArray("manifests");
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ObjectNode d = manifests.addObject();
          d.put("mediaType", rs.getString(2));
          d.put("digest", rs.getString(1));
          d.put("size", rs.getLong(4));
          d.put("artifactType", rs.getString(3));
          Map<String, String> ann = JSON.readValue(rs.getString(5), new TypeReference<Map<String, String>>() {});
          if (!ann.isEmpty()) {
            ObjectNode a = d.putObject("annotations");
            ann.forEach(a::put);
          }
        }
      }
      if (manifests.isEmpty()) {
        return Optional.empty();
      }
      byte[] bytes = JSON.writeValueAsBytes(index);
      return Optional.of(new Manifest(bytes, Manifest.OCI_INDEX, Digest.of(bytes)));
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("cannot read the evidence store", e);
    }
  }

  /** The version that last changed evidence for {@code digest} in {@code repository}; 0 if none. */
  public long subjectVersion(String repository, Digest digest) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT version FROM evidence_subject WHERE repository = ? AND digest = ?")) {
      ps.setString(1, repository);
      ps.setString(2, digest.toString());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the evidence store", e);
    }
  }

  /** Repositories holding evidence for {@code digest}. */
  public List<String> repositoriesOf(Digest digest) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT repository FROM evidence_subject WHERE digest = ? ORDER BY repository")) {
      ps.setString(1, digest.toString());
      List<String> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the evidence store", e);
    }
  }

  public List<Revocation> revocations() {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT kind, revoked, reason FROM evidence_revocation ORDER BY kind, revoked")) {
      List<Revocation> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Revocation(Revocation.Kind.fromWire(rs.getString(1)), rs.getString(2), rs.getString(3)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the evidence store", e);
    }
  }

  /** Policy documents carried in by bundles, by name. */
  public List<StoredPolicy> policies() {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT name, content, sha256, version FROM evidence_policy ORDER BY name")) {
      List<StoredPolicy> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new StoredPolicy(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the evidence store", e);
    }
  }

  public Stats stats() {
    try (Connection c = ds.getConnection()) {
      return new Stats(
          version(c),
          count(c, "SELECT COUNT(*) FROM evidence_blob"),
          count(c, "SELECT COALESCE(SUM(size), 0) FROM evidence_blob"),
          count(c, "SELECT COUNT(*) FROM evidence_tag"),
          count(c, "SELECT COUNT(*) FROM evidence_referrer"),
          count(c, "SELECT COUNT(*) FROM evidence_subject"),
          count(c, "SELECT COUNT(*) FROM evidence_revocation"));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the evidence store", e);
    }
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String json(Map<String, String> m) {
    try {
      return JSON.writeValueAsString(m);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
