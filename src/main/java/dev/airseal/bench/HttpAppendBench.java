package dev.airseal.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code POST /api/v1/log/entries} from {@code clients} threads, each sending one request at a
 * time over a kept-alive connection and expecting 201. Latency is request start to response body
 * read.
 */
public final class HttpAppendBench {
  private HttpAppendBench() {}

  /** How the clients talk HTTP/1.1. */
  public enum Client {
    /** java.net.http.HttpClient, one shared instance, synchronous send per thread. */
    JDK,
    /** HttpURLConnection with the JDK keep-alive cache sized to the client count. */
    URLCONNECTION,
    /** wrk (C, a separate process), for a timed run: see {@link WrkAppends}. */
    WRK;

    public static Client parse(String s) {
      return valueOf(s.strip().toUpperCase(Locale.ROOT));
    }
  }

  public record Result(String label, int requests, long nanos, Latencies latency) {
    public double perSecond() {
      return requests / (nanos / 1e9);
    }
  }

  @FunctionalInterface
  private interface Poster {
    int post(byte[] body) throws IOException, InterruptedException;
  }

  public static Result run(String label, URI base, List<byte[]> proposals, int clients, Client kind) {
    if (kind == Client.WRK) {
      throw new IllegalArgumentException("wrk runs for a time, not a count: use WrkAppends");
    }
    URI target = base.resolve("api/v1/log/entries");
    Poster poster = kind == Client.JDK ? jdk(target, clients) : urlConnection(target, clients);
    int n = proposals.size();
    long[] lat = new long[n];
    AtomicInteger next = new AtomicInteger();
    AtomicReference<String> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>(clients);
    long start = System.nanoTime();
    for (int t = 0; t < clients; t++) {
      Thread th =
          new Thread(
              () -> {
                for (int i; failure.get() == null && (i = next.getAndIncrement()) < n; ) {
                  long t0 = System.nanoTime();
                  try {
                    int status = poster.post(proposals.get(i));
                    lat[i] = System.nanoTime() - t0;
                    if (status != 201) {
                      failure.compareAndSet(null, "request " + i + " answered HTTP " + status);
                    }
                  } catch (IOException e) {
                    failure.compareAndSet(null, "request " + i + " failed: " + e);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure.compareAndSet(null, "interrupted");
                  }
                }
              },
              "bench-client-" + t);
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      try {
        th.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    long elapsed = System.nanoTime() - start;
    if (failure.get() != null) {
      throw new IllegalStateException(label + ": " + failure.get());
    }
    return new Result(label, n, elapsed, Latencies.of(lat));
  }

  private static Poster jdk(URI target, int clients) {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    return body -> {
      HttpRequest req =
          HttpRequest.newBuilder(target)
              .timeout(Duration.ofSeconds(60))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build();
      return http.send(req, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
    };
  }

  private static Poster urlConnection(URI target, int clients) {
    // The keep-alive cache keeps 5 idle connections per host by default; with more clients the
    // rest would be closed after every request. It reads the property once, at first use.
    if (Integer.getInteger("http.maxConnections", 5) < clients) {
      System.setProperty("http.maxConnections", Integer.toString(clients));
    }
    URL url;
    try {
      url = target.toURL();
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
    return body -> {
      HttpURLConnection c = (HttpURLConnection) url.openConnection();
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.setConnectTimeout(10_000);
      c.setReadTimeout(60_000);
      c.setRequestProperty("Content-Type", "application/json");
      c.setFixedLengthStreamingMode(body.length);
      try (OutputStream out = c.getOutputStream()) {
        out.write(body);
      }
      int status = c.getResponseCode();
      // Reading the body to its end and closing the stream returns the connection to the cache.
      try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
        if (in != null) {
          in.readAllBytes();
        }
      }
      return status;
    };
  }
}
