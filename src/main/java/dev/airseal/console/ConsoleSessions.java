package dev.airseal.console;

import dev.airseal.config.AirsealConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Browser sessions of the console and the one-time login codes that open them. Only SHA-256 of a
 * session id or code is kept, so a heap dump does not hand out live sessions; everything is in
 * memory, and a restart logs every browser out.
 */
@ApplicationScoped
public class ConsoleSessions {
  /** How long a login code from {@code admin console-link} stays redeemable. */
  public static final Duration CODE_TTL = Duration.ofMinutes(2);

  private static final SecureRandom RANDOM = new SecureRandom();

  @Inject AirsealConfig config;

  private final Map<String, Long> sessions = new ConcurrentHashMap<>();
  private final Map<String, Long> codes = new ConcurrentHashMap<>();

  /** A fresh single-use login code, valid for {@link #CODE_TTL}. */
  public String newLoginCode() {
    String code = randomId();
    codes.put(hash(code), System.currentTimeMillis() + CODE_TTL.toMillis());
    return code;
  }

  /** Redeems a login code once: a new session id, or empty if the code is unknown, used or expired. */
  public Optional<String> redeem(String code) {
    Long expiry = codes.remove(hash(code));
    if (expiry == null || expiry < System.currentTimeMillis()) {
      return Optional.empty();
    }
    return Optional.of(newSession());
  }

  public String newSession() {
    purge();
    String id = randomId();
    sessions.put(hash(id), System.currentTimeMillis() + ttl().toMillis());
    return id;
  }

  public boolean valid(String sessionId) {
    if (sessionId == null || sessionId.isEmpty()) {
      return false;
    }
    Long expiry = sessions.get(hash(sessionId));
    return expiry != null && expiry >= System.currentTimeMillis();
  }

  public void end(String sessionId) {
    if (sessionId != null) {
      sessions.remove(hash(sessionId));
    }
  }

  public Duration ttl() {
    return config.console().sessionTtl();
  }

  private void purge() {
    long now = System.currentTimeMillis();
    sessions.values().removeIf(e -> e < now);
    codes.values().removeIf(e -> e < now);
  }

  private static String randomId() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static String hash(String s) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
