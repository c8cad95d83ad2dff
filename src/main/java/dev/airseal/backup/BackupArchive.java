package dev.airseal.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The backup archive: a zip holding {@code backup.json}, the database under {@code db/}, the data
 * directory's other files under {@code data/}, and last {@link BackupManifest#NAME} with the
 * SHA-256 of every other file. A restore extracts it only after every file matches the manifest.
 */
public final class BackupArchive {
  public static final String INFO = "backup.json";
  public static final String DB_DIR = "db/";
  public static final String DATA_DIR = "data/";

  private BackupArchive() {}

  /** Writes the archive entry by entry; {@link #finish()} appends the manifest. */
  public static final class Writer {
    private final ZipOutputStream zip;
    private final Map<String, String> manifest = new LinkedHashMap<>();

    public Writer(OutputStream out) {
      this.zip = new ZipOutputStream(out);
    }

    public void add(String name, InputStream content) throws IOException {
      checkName(name);
      if (manifest.containsKey(name)) {
        throw new BackupException("archive entry " + name + " written twice");
      }
      MessageDigest sha = sha256();
      zip.putNextEntry(new ZipEntry(name));
      new DigestInputStream(content, sha).transferTo(zip);
      zip.closeEntry();
      manifest.put(name, HexFormat.of().formatHex(sha.digest()));
    }

    public void add(String name, byte[] content) throws IOException {
      add(name, new java.io.ByteArrayInputStream(content));
    }

    /** The files written so far, with their SHA-256. */
    public Map<String, String> files() {
      return Map.copyOf(manifest);
    }

    public void finish() throws IOException {
      zip.putNextEntry(new ZipEntry(BackupManifest.NAME));
      zip.write(new BackupManifest(manifest).encode());
      zip.closeEntry();
      zip.finish();
    }
  }

  /**
   * Extracts {@code archive} into the empty directory {@code into} and checks it: every file is
   * named in the manifest with its SHA-256, every manifest line has its file, and no name leaves
   * the directory.
   *
   * @throws BackupException naming the first file that does not match
   */
  public static BackupManifest extract(InputStream archive, Path into) throws IOException {
    Map<String, String> found = new LinkedHashMap<>();
    byte[] manifestBytes = null;
    try (ZipInputStream zip = new ZipInputStream(archive)) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        String name = e.getName();
        if (e.isDirectory()) {
          continue;
        }
        checkName(name);
        if (found.containsKey(name) || (name.equals(BackupManifest.NAME) && manifestBytes != null)) {
          throw new BackupException("the archive holds " + name + " twice");
        }
        if (name.equals(BackupManifest.NAME)) {
          manifestBytes = zip.readAllBytes();
          continue;
        }
        Path target = into.resolve(name).normalize();
        Files.createDirectories(target.getParent());
        MessageDigest sha = sha256();
        try (OutputStream out = Files.newOutputStream(target)) {
          new DigestInputStream(zip, sha).transferTo(out);
        }
        found.put(name, HexFormat.of().formatHex(sha.digest()));
      }
    } catch (java.util.zip.ZipException e) {
      throw new BackupException("not a readable backup archive: " + e.getMessage(), e);
    }
    if (manifestBytes == null) {
      throw new BackupException("the archive has no " + BackupManifest.NAME + ": not an Airseal backup");
    }
    BackupManifest manifest = BackupManifest.parse(manifestBytes);
    Set<String> missing = new HashSet<>(manifest.files().keySet());
    missing.removeAll(found.keySet());
    if (!missing.isEmpty()) {
      throw new BackupException("files in the manifest but not in the archive: " + missing);
    }
    for (Map.Entry<String, String> f : found.entrySet()) {
      String expected = manifest.files().get(f.getKey());
      if (expected == null) {
        throw new BackupException(f.getKey() + " is in the archive but not in the manifest");
      }
      if (!expected.equals(f.getValue())) {
        throw new BackupException(
            f.getKey() + " has SHA-256 " + f.getValue() + ", the manifest says " + expected);
      }
    }
    if (!found.containsKey(INFO)) {
      throw new BackupException("the archive has no " + INFO + ": not an Airseal backup");
    }
    return manifest;
  }

  // Zip names come from whoever made the file: refuse anything that could land outside the
  // staging directory or that only some systems would read as a path separator.
  private static void checkName(String name) {
    if (name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.contains("\0")) {
      throw new BackupException("refusing archive entry name '" + name + "'");
    }
    for (String part : name.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        throw new BackupException("refusing archive entry name '" + name + "'");
      }
    }
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
