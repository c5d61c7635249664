package dev.plumb.labeler.local;

import dev.plumb.core.PlumbException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Embeddings on disk, so that a text embedded by one plumb command is not embedded again by the
 * next: an append-only file of fixed-size records (32-byte SHA-256 of the text, then 384
 * little-endian floats), one file per embedding model. The index (key → offset) is read at open;
 * vectors are read on demand.
 *
 * <p>Crash-safe by construction: a torn last record (a write interrupted by a crash) is cut off at
 * open. Several processes may append to the same file: each append holds an exclusive file lock
 * and writes whole records at the end. Records another process appends after this one opened are
 * not seen (they are only a cache). Thread-safe.
 */
final class EmbeddingStore implements AutoCloseable {
  private static final int RECORD = TextKey.BYTES + MiniLm.DIMENSION * Float.BYTES;

  private final Path file;
  private final FileChannel channel;
  private final Map<TextKey, Long> index = new HashMap<>();

  private EmbeddingStore(Path file, FileChannel channel) {
    this.file = file;
    this.channel = channel;
  }

  /** Opens (creating it if needed) the store for {@code modelId} under {@code dir}. */
  static EmbeddingStore open(Path dir, String modelId) {
    Path file = dir.resolve(modelId.replaceAll("[^A-Za-z0-9._-]", "_") + ".f32");
    try {
      Files.createDirectories(dir);
      FileChannel channel =
          FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      EmbeddingStore store = new EmbeddingStore(file, channel);
      store.readIndex();
      return store;
    } catch (IOException e) {
      throw new PlumbException("cannot open the embedding cache " + file + ": " + e.getMessage(), e);
    }
  }

  private void readIndex() throws IOException {
    try (FileLock lock = channel.lock()) {
      long size = channel.size();
      long whole = size - size % RECORD;
      if (whole != size) {
        channel.truncate(whole); // a torn tail from an interrupted append
      }
      ByteBuffer keys = ByteBuffer.allocate(TextKey.BYTES);
      for (long offset = 0; offset < whole; offset += RECORD) {
        keys.clear();
        readFully(keys, offset);
        keys.flip();
        index.put(TextKey.from(keys), offset);
      }
    }
  }

  synchronized int size() {
    return index.size();
  }

  /** The stored vector, or {@code null}. */
  float[] get(TextKey key) {
    Long offset;
    synchronized (this) {
      offset = index.get(key);
    }
    if (offset == null) {
      return null;
    }
    ByteBuffer buf = ByteBuffer.allocate(MiniLm.DIMENSION * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    try {
      readFully(buf, offset + TextKey.BYTES);
    } catch (IOException e) {
      throw new PlumbException("cannot read the embedding cache " + file + ": " + e.getMessage(), e);
    }
    buf.flip();
    float[] v = new float[MiniLm.DIMENSION];
    buf.asFloatBuffer().get(v);
    return v;
  }

  /** Appends the records not already present. */
  synchronized void putAll(List<TextKey> keys, List<float[]> vectors) {
    List<TextKey> added = new ArrayList<>();
    Set<TextKey> seen = new HashSet<>();
    ByteBuffer buf = ByteBuffer.allocate(keys.size() * RECORD);
    for (int i = 0; i < keys.size(); i++) {
      TextKey key = keys.get(i);
      if (index.containsKey(key) || !seen.add(key)) {
        continue;
      }
      buf.order(ByteOrder.BIG_ENDIAN);
      key.write(buf);
      buf.order(ByteOrder.LITTLE_ENDIAN);
      for (float x : vectors.get(i)) {
        buf.putFloat(x);
      }
      added.add(key);
    }
    if (added.isEmpty()) {
      return;
    }
    buf.flip();
    try (FileLock lock = channel.lock()) {
      long start = channel.size();
      start -= start % RECORD; // never write after a torn record left by a crashed writer
      long pos = start;
      while (buf.hasRemaining()) {
        pos += channel.write(buf, pos);
      }
      for (int i = 0; i < added.size(); i++) {
        index.put(added.get(i), start + (long) i * RECORD);
      }
    } catch (IOException e) {
      throw new PlumbException("cannot write the embedding cache " + file + ": " + e.getMessage(), e);
    }
  }

  private void readFully(ByteBuffer buf, long position) throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      int n = channel.read(buf, pos);
      if (n < 0) {
        throw new IOException("unexpected end of file at " + pos);
      }
      pos += n;
    }
  }

  @Override
  public synchronized void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new PlumbException("cannot close the embedding cache " + file + ": " + e.getMessage(), e);
    }
  }
}
