package dev.plumb.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests written as {@code sha256:<hex>}, the form every fingerprint in plumb takes. */
public final class Hashing {
  public static final String PREFIX = "sha256:";

  private Hashing() {}

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  public static String sha256(byte[] bytes) {
    return format(sha256().digest(bytes));
  }

  public static String sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Digest of a file's bytes, streaming. */
  public static String sha256(Path file) {
    MessageDigest md = sha256();
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    } catch (IOException e) {
      throw new InputException(Problem.of(file + ": cannot read: " + e.getMessage()), e);
    }
    return format(md.digest());
  }

  /** {@code sha256:} followed by the lowercase hex digest. */
  public static String format(byte[] digest) {
    return PREFIX + HexFormat.of().formatHex(digest);
  }
}
