package dev.airseal.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import javax.sql.DataSource;

/**
 * Audit events stored many to a row ({@code audit_pack}): one row per batch, each event a line of
 * JSON, the lines gzip'd. Admission writes thousands of decisions a second; a database row each cost the service more
 * CPU, and longer young-collection pauses, than deciding them (docs/admission.md, "Performance").
 * Events of other kinds stay one row each in {@code audit_event}; {@link AuditLog#recent} reads both.
 */
public final class AuditPacks {
  /**
   * One event to append; {@code at} is when it happened (epoch milliseconds). The detail is kept as
   * a tree until the pack is written, so whoever queues an event spends nothing on its text.
   */
  public record Event(long at, String kind, String actor, String subject, String outcome, JsonNode detail) {}

  /** Events of one kind, compressed: what a batch becomes before it reaches the database. */
  public record Pack(String kind, long firstAt, long lastAt, int events, byte[] body) {
    /** The pack's events in the order written, ids {@code <packId>.<line>}. */
    public List<AuditEvent> read(long packId) {
      return AuditPacks.events(packId, kind, body);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private AuditPacks() {}

  /** {@code events} as packs, one per kind. */
  public static List<Pack> pack(List<Event> events) {
    Builder b = new Builder();
    events.forEach(b::add);
    return b.finish();
  }

  /** Appends all of {@code packs} or none of them, a row each, in one transaction. */
  public static void append(DataSource ds, List<Pack> packs) throws SQLException {
    if (packs.isEmpty()) {
      return;
    }
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO audit_pack (kind, first_at, last_at, events, body) VALUES (?, ?, ?, ?, ?)")) {
        for (Pack p : packs) {
          ps.setString(1, p.kind());
          ps.setLong(2, p.firstAt());
          ps.setLong(3, p.lastAt());
          ps.setInt(4, p.events());
          ps.setBytes(5, p.body());
          ps.addBatch();
        }
        ps.executeBatch();
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /**
   * Packs events as they come: each is written out (one line of JSON, {@code
   * {"at":…,"actor":…,"subject":…,"outcome":…,"detail":{…}}}, gzip'd) when added, so its tree is
   * garbage at once rather than living until the batch is full. Decisions repeat themselves: a pack
   * is about a tenth of its text, and that is all the database keeps in memory.
   */
  public static final class Builder {
    private final Map<String, Open> open = new LinkedHashMap<>();
    private int size;

    public void add(Event e) {
      Open o = open.computeIfAbsent(e.kind(), Open::new);
      try {
        JsonGenerator g = o.json;
        g.writeStartObject();
        g.writeNumberField("at", e.at());
        g.writeStringField("actor", e.actor());
        g.writeStringField("subject", e.subject());
        g.writeStringField("outcome", e.outcome());
        g.writeFieldName("detail");
        g.writeTree(e.detail());
        g.writeEndObject();
      } catch (IOException x) {
        throw new UncheckedIOException(x);
      }
      o.firstAt = Math.min(o.firstAt, e.at());
      o.lastAt = Math.max(o.lastAt, e.at());
      o.events++;
      size++;
    }

    /** Events added since the last {@link #finish}. */
    public int size() {
      return size;
    }

    /** The packs of what was added (one per kind); the builder starts empty again. */
    public List<Pack> finish() {
      List<Pack> out = new ArrayList<>(open.size());
      for (Open o : open.values()) {
        try {
          o.json.close();
        } catch (IOException x) {
          throw new UncheckedIOException(x);
        }
        out.add(new Pack(o.kind, o.firstAt, o.lastAt, o.events, o.bytes.toByteArray()));
      }
      open.clear();
      size = 0;
      return out;
    }

    private static final class Open {
      final String kind;
      final ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * 1024);
      final JsonGenerator json;
      long firstAt = Long.MAX_VALUE;
      long lastAt = Long.MIN_VALUE;
      int events;

      Open(String kind) {
        this.kind = kind;
        try {
          json = JSON.getFactory().createGenerator(new FastGzip(bytes));
        } catch (IOException x) {
          throw new UncheckedIOException(x);
        }
        json.setRootValueSeparator(new SerializedString("\n"));
      }
    }
  }

  /**
   * The newest {@code limit} packed events of {@code kind} (all kinds when null), newest first. An
   * event's id is {@code <pack id>.<line>}, line counted from 1.
   */
  static List<AuditEvent> recent(Connection c, String kind, int limit) throws SQLException {
    List<AuditEvent> out = new ArrayList<>();
    // Packs hold hundreds of events: read them a few at a time, newest first, not the table.
    String sql = "SELECT id, kind, body FROM audit_pack WHERE id < ?" + (kind == null ? "" : " AND kind = ?")
        + " ORDER BY id DESC LIMIT 8";
    long before = Long.MAX_VALUE;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      while (out.size() < limit) {
        ps.setLong(1, before);
        if (kind != null) {
          ps.setString(2, kind);
        }
        int read = 0;
        try (ResultSet rs = ps.executeQuery()) {
          while (out.size() < limit && rs.next()) {
            read++;
            before = rs.getLong(1);
            List<AuditEvent> pack = events(before, rs.getString(2), rs.getBytes(3));
            for (int i = pack.size() - 1; i >= 0 && out.size() < limit; i--) {
              out.add(pack.get(i));
            }
          }
        }
        if (read < 8) {
          break;
        }
      }
    }
    return out;
  }

  static List<AuditEvent> events(long packId, String kind, byte[] body) {
    List<AuditEvent> out = new ArrayList<>();
    int line = 0;
    try (MappingIterator<JsonNode> it = JSON.readerFor(JsonNode.class)
        .readValues(new GZIPInputStream(new ByteArrayInputStream(body)))) {
      while (it.hasNextValue()) {
        JsonNode n = it.nextValue();
        line++;
        out.add(new AuditEvent(packId + "." + line, n.path("at").asLong(), kind, n.path("actor").asText(),
            n.path("subject").asText(), n.path("outcome").asText(), n.path("detail").toString()));
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("audit pack " + packId + " is unreadable after event " + line + ": "
          + e.getMessage(), e);
    }
    return out;
  }

  /** Gzip at the fastest level: the audit thread compresses megabytes a second. */
  private static final class FastGzip extends GZIPOutputStream {
    FastGzip(OutputStream out) throws IOException {
      super(out, 8192);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }
}
