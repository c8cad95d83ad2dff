package dev.airseal.log.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.airseal.log.Hex;
import dev.airseal.log.StoredEntry;
import dev.airseal.testing.TestDatabases;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The sequencer's duplicate check: which leaves the log holds, asked in chunks, not per leaf. */
class JdbcLogStoreLeavesTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void existingLeaves_findsEveryStoredLeafWithOneQueryPerChunk(TestDatabases.Kind kind) {
    AtomicInteger queries = new AtomicInteger();
    JdbcLogStore store = new JdbcLogStore(counting(TestDatabases.create(kind), queries));
    List<byte[]> stored = new ArrayList<>();
    List<StoredEntry> entries = new ArrayList<>();
    for (int i = 0; i < 1_500; i++) {
      byte[] h = randomHash();
      stored.add(h);
      entries.add(new StoredEntry(i, h, 0, "hashedrekord", "0.0.1", new byte[0], new byte[0], List.of()));
    }
    store.index(entries, entries.size());
    // Stored and unknown hashes interleaved, one stored hash asked twice: three chunks in all.
    List<byte[]> asked = new ArrayList<>();
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < stored.size(); i++) {
      asked.add(stored.get(i));
      expected.add(Hex.encode(stored.get(i)));
      if (i % 2 == 0) {
        asked.add(randomHash());
      }
    }
    asked.add(stored.get(7).clone());
    assertThat(asked).hasSize(1_500 + 750 + 1);

    queries.set(0);
    Set<String> found = store.existingLeaves(asked);

    assertThat(found).isEqualTo(expected);
    int chunks = (asked.size() + JdbcLogStore.LEAF_CHUNK - 1) / JdbcLogStore.LEAF_CHUNK;
    assertThat(queries.get()).as("queries for %d leaf hashes", asked.size()).isEqualTo(chunks);
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void existingLeaves_ofUnknownOrNoLeavesIsEmpty(TestDatabases.Kind kind) {
    AtomicInteger queries = new AtomicInteger();
    JdbcLogStore store = new JdbcLogStore(counting(TestDatabases.create(kind), queries));
    queries.set(0);
    assertThat(store.existingLeaves(List.of())).isEmpty();
    assertThat(queries.get()).isZero();
    assertThat(store.existingLeaves(List.of(randomHash(), randomHash()))).isEmpty();
    assertThat(queries.get()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.Kind.class)
  void index_filingEntriesAgain_mergesWhatIsThereAndFilesTheRest(TestDatabases.Kind kind) {
    JdbcLogStore store = new JdbcLogStore(TestDatabases.create(kind));
    store.create(new dev.airseal.log.TreeHead(1, 0, new byte[32], "checkpoint", 0));
    List<StoredEntry> entries = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      entries.add(new StoredEntry(i, randomHash(), 0, "hashedrekord", "0.0.1", new byte[0], new byte[0],
          List.of("sha256:" + i, "shared@example.com")));
    }
    store.index(entries.subList(0, 100), 100);
    // 50..99 are filed already: the plain insert fails on them, and the filing is merged instead.
    store.index(entries.subList(50, 150), 150);

    assertThat(store.indexedSize()).isEqualTo(150);
    assertThat(store.existingLeaves(entries.stream().map(StoredEntry::leafHash).toList())).hasSize(150);
    assertThat(store.search("sha256:75", 10)).containsExactly(75L);
    assertThat(store.search("shared@example.com", 1_000)).hasSize(150).doesNotHaveDuplicates();
  }

  @org.junit.jupiter.api.Test
  void index_onH2_filesNewRowsWithoutMerging() {
    List<String> prepared = new java.util.concurrent.CopyOnWriteArrayList<>();
    DataSource ds = TestDatabases.create(TestDatabases.Kind.H2);
    JdbcLogStore store = new JdbcLogStore(proxy(DataSource.class, ds, (target, m, args) -> {
      Object r = m.invoke(target, args);
      return m.getName().equals("getConnection")
          ? proxy(Connection.class, r, (c, cm, cargs) -> {
            if (cm.getName().equals("prepareStatement")) {
              prepared.add((String) cargs[0]);
            }
            return cm.invoke(c, cargs);
          })
          : r;
    }));
    store.create(new dev.airseal.log.TreeHead(1, 0, new byte[32], "checkpoint", 0));
    for (int from = 0; from < 300; from += 100) {
      List<StoredEntry> entries = new ArrayList<>();
      for (int i = from; i < from + 100; i++) {
        entries.add(new StoredEntry(i, randomHash(), 0, "hashedrekord", "0.0.1", new byte[0], new byte[0],
            List.of("sha256:" + i, "shared@example.com", "shared-key")));
      }
      store.index(entries, from + 100);
    }
    assertThat(store.indexedSize()).isEqualTo(300);
    assertThat(prepared).filteredOn(q -> q.matches("INSERT INTO log_(leaf|index_key) .*")).hasSize(6);
    assertThat(prepared).noneMatch(q -> q.startsWith("MERGE"));
  }

  private static byte[] randomHash() {
    byte[] h = new byte[32];
    RANDOM.nextBytes(h);
    return h;
  }

  // Counts the queries the store runs (executeQuery on any statement it prepares).
  private static DataSource counting(DataSource ds, AtomicInteger queries) {
    return proxy(DataSource.class, ds, (target, m, args) -> {
      Object r = m.invoke(target, args);
      return m.getName().equals("getConnection")
          ? proxy(Connection.class, r, (c, cm, cargs) -> {
            Object cr = cm.invoke(c, cargs);
            return cm.getName().equals("prepareStatement")
                ? proxy(PreparedStatement.class, cr, (ps, pm, pargs) -> {
                  if (pm.getName().equals("executeQuery")) {
                    queries.incrementAndGet();
                  }
                  return pm.invoke(ps, pargs);
                })
                : cr;
          })
          : r;
    });
  }

  interface Call {
    Object call(Object target, java.lang.reflect.Method m, Object[] args) throws Exception;
  }

  private static <T> T proxy(Class<T> type, Object target, Call call) {
    InvocationHandler h = (p, m, args) -> {
      try {
        return call.call(target, m, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    };
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h));
  }
}
