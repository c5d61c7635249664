package dev.plumb.labeler.local;

import dev.plumb.core.Hashing;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** The SHA-256 of a text's UTF-8 bytes: the content address of its embedding. */
record TextKey(long a, long b, long c, long d) {
  static final int BYTES = 32;

  static TextKey of(String text) {
    return from(ByteBuffer.wrap(Hashing.sha256().digest(text.getBytes(StandardCharsets.UTF_8))));
  }

  /** Reads 32 bytes at the buffer's position. */
  static TextKey from(ByteBuffer digest) {
    return new TextKey(digest.getLong(), digest.getLong(), digest.getLong(), digest.getLong());
  }

  /** The key of window {@code w} of this text's features: the SHA-256 of this key and "window w". */
  TextKey window(int w) {
    return derive("window " + w);
  }

  /** The key of turn {@code p} of a conversation's features: the SHA-256 of this key and "part p". */
  TextKey part(int p) {
    return derive("part " + p);
  }

  private TextKey derive(String what) {
    ByteBuffer b = ByteBuffer.allocate(BYTES);
    write(b);
    java.security.MessageDigest digest = Hashing.sha256();
    digest.update(b.array());
    digest.update(what.getBytes(StandardCharsets.UTF_8));
    return from(ByteBuffer.wrap(digest.digest()));
  }

  void write(ByteBuffer out) {
    out.putLong(a).putLong(b).putLong(c).putLong(d);
  }
}
