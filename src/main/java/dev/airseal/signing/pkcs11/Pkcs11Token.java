package dev.airseal.signing.pkcs11;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.security.Provider;
import java.security.ProviderException;
import java.security.Security;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.security.auth.login.FailedLoginException;

/**
 * One token opened through the JDK's SunPKCS11 provider and logged in: the provider and its
 * KeyStore. The only class that builds SunPKCS11 configurations.
 */
final class Pkcs11Token {
  // Enumerating slots stops here even if the module claims more; SoftHSM adds one free slot.
  private static final int MAX_SLOTS = 64;
  private static final AtomicInteger PROVIDERS = new AtomicInteger();
  // A PKCS#11 login holds for the whole process, and SunPKCS11 calls C_Login only when the token is
  // not logged in yet: after one good login, any PIN would open the token again. So we keep a
  // salted hash of the PIN that logged in and hold later PINs for the same token to it.
  private static final Map<String, byte[]> LOGGED_IN = new ConcurrentHashMap<>();
  private static final byte[] PIN_SALT = new byte[16];

  static {
    new SecureRandom().nextBytes(PIN_SALT);
  }

  final Provider provider;
  final KeyStore keyStore;
  final String label;
  final Path module;
  final int slotListIndex;

  private Pkcs11Token(Provider provider, KeyStore keyStore, String label, Path module, int index) {
    this.provider = provider;
    this.keyStore = keyStore;
    this.label = label;
    this.module = module;
    this.slotListIndex = index;
  }

  /** A SunPKCS11 slot as enumeration found it; label null for an uninitialised token. */
  private record Slot(int index, String label, Provider provider) {}

  /**
   * Finds the token the URI names and logs in. {@code extraConfig} is appended to the provider
   * configuration (key-generation templates); such a provider is never shared.
   */
  static Pkcs11Token open(Pkcs11Uri uri, Map<String, String> env, String extraConfig) {
    Path module = uri.module(env);
    if (!Files.isRegularFile(module)) {
      throw new Pkcs11Exception("PKCS#11 module " + module + " does not exist (from " + uri + ")");
    }
    Provider provider;
    String label;
    int index = -1;
    if (uri.slotId().isPresent()) {
      String slot = "slot = " + Long.toUnsignedString(uri.slotId().getAsLong());
      try {
        provider = configure(module, slot + "\n" + extraConfig);
      } catch (ProviderException e) {
        throw new Pkcs11Exception(
            "cannot open PKCS#11 slot-id " + Long.toUnsignedString(uri.slotId().getAsLong()) + " of "
                + module + ": " + rootMessage(e) + "; tokens: " + describe(slots(module)),
            e);
      }
      label = readLabel(provider);
      if (uri.token().isPresent() && !uri.token().get().equals(label)) {
        throw new Pkcs11Exception(
            "PKCS#11 slot-id " + Long.toUnsignedString(uri.slotId().getAsLong()) + " holds token '"
                + label + "', not '" + uri.token().get() + "'");
      }
    } else {
      List<Slot> slots = slots(module);
      List<Slot> initialised = slots.stream().filter(s -> s.label() != null).toList();
      Slot chosen;
      if (uri.token().isPresent()) {
        List<Slot> matches =
            initialised.stream().filter(s -> s.label().equals(uri.token().get())).toList();
        if (matches.isEmpty()) {
          throw new Pkcs11Exception(
              "no PKCS#11 token '" + uri.token().get() + "' in " + module + "; tokens: "
                  + describe(slots));
        }
        if (matches.size() > 1) {
          throw new Pkcs11Exception(
              matches.size() + " PKCS#11 tokens are labelled '" + uri.token().get() + "' in "
                  + module + "; add slot-id= to the URI");
        }
        chosen = matches.get(0);
      } else if (initialised.size() == 1) {
        chosen = initialised.get(0);
      } else {
        throw new Pkcs11Exception(
            "PKCS#11 URI " + uri + " names no token and " + module + " has "
                + initialised.size() + "; add token=: tokens: " + describe(slots));
      }
      label = chosen.label();
      index = chosen.index();
      provider =
          extraConfig.isEmpty()
              ? chosen.provider()
              : configure(module, "slotListIndex = " + index + "\n" + extraConfig);
    }
    KeyStore ks = login(provider, module + "|" + index + "|" + label, label, uri.pin(env));
    return new Pkcs11Token(provider, ks, label, module, index);
  }

  private static KeyStore login(Provider provider, String tokenKey, String label, char[] pin) {
    try {
      byte[] pinHash = pinHash(pin);
      byte[] loggedIn = LOGGED_IN.get(tokenKey);
      if (loggedIn != null && !MessageDigest.isEqual(loggedIn, pinHash)) {
        throw new Pkcs11Exception(
            "PKCS#11 login to token '" + label + "' failed: wrong PIN or locked token"
                + " (not the PIN this process logged in with)");
      }
      KeyStore ks = KeyStore.getInstance("PKCS11", provider);
      ks.load(null, pin);
      LOGGED_IN.putIfAbsent(tokenKey, pinHash);
      return ks;
    } catch (IOException e) {
      // SunPKCS11 reports a failed C_Login as IOException("load failed") caused by
      // UnrecoverableKeyException caused by FailedLoginException caused by CKR_PIN_*.
      if (hasCause(e, FailedLoginException.class)) {
        String code = ckr(e);
        throw new Pkcs11Exception(
            "PKCS#11 login to token '" + label + "' failed: wrong PIN or locked token"
                + (code == null ? "" : " (" + code + ")"),
            e);
      }
      throw new Pkcs11Exception("cannot read token '" + label + "': " + rootMessage(e), e);
    } catch (java.security.GeneralSecurityException e) {
      throw new Pkcs11Exception("cannot read token '" + label + "': " + rootMessage(e), e);
    } finally {
      Arrays.fill(pin, '\0');
    }
  }

  /** Every slot with a token present, in SunPKCS11's slotListIndex order. */
  private static List<Slot> slots(Path module) {
    List<Slot> slots = new ArrayList<>();
    for (int i = 0; i < MAX_SLOTS; i++) {
      try {
        Provider p = configure(module, "slotListIndex = " + i);
        slots.add(new Slot(i, readLabel(p), p));
      } catch (ProviderException e) {
        String message = rootMessage(e);
        if (message.contains("only has")) { // "slotListIndex is 2 but token only has 2 slots"
          break;
        }
        if (message.contains("CKR_TOKEN_NOT_RECOGNIZED") || message.contains("CKR_TOKEN_NOT_PRESENT")) {
          slots.add(new Slot(i, null, null)); // SoftHSM's free slot: not yet initialised
          continue;
        }
        throw new Pkcs11Exception("cannot use PKCS#11 module " + module + ": " + message, e);
      }
    }
    return slots;
  }

  private static String describe(List<Slot> slots) {
    if (slots.isEmpty()) {
      return "none";
    }
    List<String> parts = new ArrayList<>();
    long free = slots.stream().filter(s -> s.label() == null).count();
    slots.stream().map(Slot::label).filter(l -> l != null).sorted().forEach(l -> parts.add("'" + l + "'"));
    if (free > 0) {
      parts.add(free + " uninitialised");
    }
    return String.join(", ", parts);
  }

  private static byte[] pinHash(char[] pin) throws java.security.GeneralSecurityException {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(PIN_SALT);
    sha.update(new String(pin).getBytes(StandardCharsets.UTF_8));
    return sha.digest();
  }

  static Provider configure(Path module, String lines) {
    Provider base = Security.getProvider("SunPKCS11");
    if (base == null) {
      throw new Pkcs11Exception("this JDK has no SunPKCS11 provider (module jdk.crypto.cryptoki)");
    }
    String config =
        "--name = airseal-" + PROVIDERS.incrementAndGet() + "\nlibrary = " + module + "\n" + lines + "\n";
    return base.configure(config);
  }

  /**
   * The label of the token behind a SunPKCS11 provider. The JDK keeps it in {@code
   * SunPKCS11.token.tokenInfo.label} and exposes it through no public API, and its wrapper package
   * is not exported (we will not require --add-exports of every launcher). Reading the private
   * fields is read-only and needs no login, unlike the alternative of trying the PIN on each token
   * in turn, which would count failed logins against tokens the operator did not name.
   */
  static String readLabel(Provider provider) {
    try {
      Object token = field(provider, "token");
      Object info = field(token, "tokenInfo");
      char[] label = (char[]) field(info, "label");
      // CK_TOKEN_INFO.label is 32 characters, blank padded.
      int end = label.length;
      while (end > 0 && (label[end - 1] == ' ' || label[end - 1] == '\0')) {
        end--;
      }
      return new String(label, 0, end);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new Pkcs11Exception(
          "cannot read PKCS#11 token labels on this JDK (" + System.getProperty("java.version")
              + ": " + e + "); select the token with slot-id= instead of token=",
          e);
    }
  }

  @SuppressWarnings({"removal", "deprecation"})
  private static Object field(Object owner, String name) throws ReflectiveOperationException {
    Field f = owner.getClass().getDeclaredField(name);
    Field theUnsafe = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
    theUnsafe.setAccessible(true);
    sun.misc.Unsafe unsafe = (sun.misc.Unsafe) theUnsafe.get(null);
    return unsafe.getObjectVolatile(owner, unsafe.objectFieldOffset(f));
  }

  List<String> aliases() {
    try {
      List<String> aliases = Collections.list(keyStore.aliases());
      Collections.sort(aliases);
      return aliases;
    } catch (KeyStoreException e) {
      throw new Pkcs11Exception("cannot list token '" + label + "': " + rootMessage(e), e);
    }
  }

  static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  private static String ckr(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c.getMessage() != null && c.getMessage().startsWith("CKR_")) {
        return c.getMessage();
      }
    }
    return null;
  }

  static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
  }
}
