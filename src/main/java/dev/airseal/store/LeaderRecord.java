package dev.airseal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The row that tells followers who leads: its URL, the secret forwarded appends carry, and a term
 * that grows with every change of leader. Only the holder of the {@link LeaderLock} writes it.
 */
public final class LeaderRecord {
  /** One leadership: who, where, since when. */
  public record Leader(String replica, String url, String forwardSecret, long term, long since) {
    @Override
    public String toString() {
      return "Leader[" + replica + " at " + url + ", term " + term + "]"; // never the secret
    }
  }

  private final DataSource ds;

  public LeaderRecord(DataSource ds) {
    this.ds = ds;
  }

  /** Records this replica as leader for a new term; returns the term. */
  public long claim(String replica, String url, String forwardSecret, long now) {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(true);
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE cluster_leader SET replica = ?, url = ?, forward_secret = ?, term = term + 1,"
                  + " since = ? WHERE id = 1")) {
        ps.setString(1, replica);
        ps.setString(2, url);
        ps.setString(3, forwardSecret);
        ps.setLong(4, now);
        if (ps.executeUpdate() != 1) {
          throw new SQLException("cluster_leader row 1 is missing");
        }
      }
      return current().map(Leader::term).orElseThrow();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot record this replica as leader", e);
    }
  }

  /** The leader last recorded, if any replica ever led. */
  public Optional<Leader> current() {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT replica, url, forward_secret, term, since FROM cluster_leader WHERE id = 1");
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next() || rs.getLong(4) == 0) {
        return Optional.empty();
      }
      return Optional.of(
          new Leader(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5)));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the cluster leader", e);
    }
  }
}
