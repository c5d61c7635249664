package dev.plumb.labeler.batch;

import dev.plumb.core.Hashing;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * An open-addressing map from 64-bit keys to 64-bit values: 16 bytes per entry, so a resume index
 * over millions of (unit, policy) pairs stays small. Keys are {@link #key} hashes (the first 64
 * bits of SHA-256; a collision among a billion pairs has odds below 3·10⁻²). Not thread-safe.
 */
final class LongLongMap {
  private static final long EMPTY = 0L;
  private static final ThreadLocal<MessageDigest> SHA = ThreadLocal.withInitial(Hashing::sha256);

  private long[] keys = new long[1 << 10];
  private long[] values = new long[1 << 10];
  private int size;

  /** The 64-bit key of a (unit, policy) pair. */
  static long key(String unit, String policy) {
    MessageDigest md = SHA.get();
    md.reset();
    md.update(unit.getBytes(StandardCharsets.UTF_8));
    md.update((byte) 0);
    md.update(policy.getBytes(StandardCharsets.UTF_8));
    byte[] d = md.digest();
    long k = 0;
    for (int i = 0; i < 8; i++) {
      k = (k << 8) | (d[i] & 0xff);
    }
    return k == EMPTY ? 1 : k;
  }

  /** The 64-bit key of a unit id alone (duplicate detection). */
  static long key(String unit) {
    return key(unit, "");
  }

  int size() {
    return size;
  }

  boolean contains(long key) {
    return keys[slot(key)] == key;
  }

  /** The value for {@code key}, or {@code missing}. */
  long get(long key, long missing) {
    int s = slot(key);
    return keys[s] == key ? values[s] : missing;
  }

  /** Sets {@code key} to {@code value}; returns whether the key was new. */
  boolean put(long key, long value) {
    int s = slot(key);
    if (keys[s] == key) {
      values[s] = value;
      return false;
    }
    keys[s] = key;
    values[s] = value;
    if (++size * 2 > keys.length) {
      grow();
    }
    return true;
  }

  /** Calls {@code action} for every entry. */
  void forEach(java.util.function.BiConsumer<Long, Long> action) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != EMPTY) {
        action.accept(keys[i], values[i]);
      }
    }
  }

  private int slot(long key) {
    int mask = keys.length - 1;
    int i = (int) (key ^ (key >>> 32)) & mask;
    while (keys[i] != EMPTY && keys[i] != key) {
      i = (i + 1) & mask;
    }
    return i;
  }

  private void grow() {
    long[] oldKeys = keys;
    long[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new long[oldValues.length * 2];
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        int s = slot(oldKeys[i]);
        keys[s] = oldKeys[i];
        values[s] = oldValues[i];
      }
    }
  }
}
