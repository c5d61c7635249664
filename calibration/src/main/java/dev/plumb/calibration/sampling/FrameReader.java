package dev.plumb.calibration.sampling;

import dev.plumb.core.Hashing;
import dev.plumb.core.InputException;
import dev.plumb.core.Jsonl;
import dev.plumb.core.PlumbException;
import dev.plumb.core.Problem;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.zip.GZIPInputStream;

/**
 * Streams a frame file line by line as raw bytes (plain or gzip, detected from the content) while
 * computing the SHA-256 of the file as stored. Blank lines are skipped, a trailing {@code \r} and a
 * byte-order mark on line 1 are dropped.
 *
 * <p>Reading, decompressing and hashing run on a background thread that fills 1 MB chunks (four in
 * flight), so the calling thread only splits lines and parses: on two cores the pass costs about the
 * parse alone. Memory: four chunks plus the longest line. Not thread-safe; close it to stop the
 * background thread.
 */
final class FrameReader implements Closeable {
  private static final int CHUNK = 1 << 20;
  private static final int CHUNKS = 4;
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** A filled buffer, or the end of the file (with the digest), or a read error. */
  private static final class Chunk {
    final byte[] data = new byte[CHUNK];
    int length;
    boolean end;
    String sha256;
    IOException error;
  }

  private final String source;
  private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(CHUNKS + 1);
  private final BlockingQueue<Chunk> free = new ArrayBlockingQueue<>(CHUNKS + 1);
  private final Thread producer;
  private volatile boolean closed;

  private Chunk current;
  private byte[] chunk = new byte[0];
  private int pos;
  private int end;
  private boolean eof;
  private String sha256;
  private byte[] lineBuf = new byte[1 << 14];
  private byte[] buf;
  private int off;
  private int len;
  private int lineNumber;
  private long chunkBase; // bytes of the (decompressed) stream before the current chunk
  private long lineStart; // offset of the current line's first byte in the stream
  private final boolean compressed;

  private FrameReader(String source, InputStream raw, DigestInputStream digest, boolean compressed) {
    this.source = source;
    this.compressed = compressed;
    for (int i = 0; i < CHUNKS; i++) {
      free.add(new Chunk());
    }
    this.producer = new Thread(() -> produce(raw, digest), "plumb-frame-reader");
    this.producer.setDaemon(true);
    this.producer.start();
  }

  static FrameReader open(Path path) {
    String source = path.toString();
    Jsonl.requireRegularFile(path); // the frame is read twice (to count, to draw), and peeked for gzip
    try {
      boolean gzip;
      try (InputStream peek = Files.newInputStream(path)) {
        gzip = peek.read() == 0x1f && peek.read() == 0x8b;
      }
      DigestInputStream digest = new DigestInputStream(Files.newInputStream(path), Hashing.sha256());
      InputStream in = gzip ? new GZIPInputStream(digest, 1 << 16) : digest;
      return new FrameReader(source, in, digest, gzip);
    } catch (NoSuchFileException e) {
      throw new InputException(Problem.of(source + ": file not found"));
    } catch (IOException e) {
      throw new InputException(Problem.of(source + ": cannot read: " + e.getMessage()), e);
    }
  }

  /**
   * Streams a frame from any byte stream (a distributed file system, an archive entry): the same
   * line rules, gzip detection and digest as {@link #open(Path)}. Takes ownership of {@code raw}.
   */
  static FrameReader open(String source, InputStream raw) {
    try {
      DigestInputStream digest = new DigestInputStream(raw, Hashing.sha256());
      java.io.BufferedInputStream peek = new java.io.BufferedInputStream(digest, 1 << 16);
      peek.mark(2);
      boolean gzip = peek.read() == 0x1f && peek.read() == 0x8b;
      peek.reset();
      InputStream in = gzip ? new GZIPInputStream(peek, 1 << 16) : peek;
      return new FrameReader(source, in, digest, gzip);
    } catch (IOException e) {
      throw new InputException(Problem.of(source + ": cannot read: " + e.getMessage()), e);
    }
  }

  /** The background loop: fill free chunks, hand them over; at the end, drain and digest. */
  private void produce(InputStream in, DigestInputStream digest) {
    try (in) {
      while (!closed) {
        Chunk c = free.take();
        c.length = 0;
        try {
          int r = 0;
          while (c.length < CHUNK && (r = in.read(c.data, c.length, CHUNK - c.length)) > 0) {
            c.length += r;
          }
          if (c.length == 0) { // the previous read hit the end
            byte[] sink = new byte[1 << 16];
            while (digest.read(sink) > 0) {
              // bytes after the gzip stream still belong to the file's hash
            }
            c.sha256 = Hashing.format(digest.getMessageDigest().digest());
            c.end = true;
            full.put(c);
            return;
          }
        } catch (IOException e) {
          c.error = e;
          full.put(c);
          return;
        }
        full.put(c);
      }
    } catch (InterruptedException | IOException e) {
      // closed while reading: nothing is waiting for the rest
    }
  }

  String source() {
    return source;
  }

  /** Advances to the next non-blank line; false at the end of the file. */
  boolean next() {
    while (readLine()) {
      if (!blank()) {
        return true;
      }
    }
    return false;
  }

  /** The current line's bytes: {@code buffer()[offset() .. offset()+length())}, valid until {@link #next}. */
  byte[] buffer() {
    return buf;
  }

  int offset() {
    return off;
  }

  int length() {
    return len;
  }

  int lineNumber() {
    return lineNumber;
  }

  /** Where the current line's bytes start in the file (in the decompressed stream for gzip). */
  long lineOffset() {
    return lineStart;
  }

  /** Whether the file is gzip (offsets then refer to the decompressed stream). */
  boolean compressed() {
    return compressed;
  }

  /** The SHA-256 of the whole file as stored ({@code sha256:<hex>}); reads to the end if needed. */
  String sha256() {
    while (!eof) {
      pos = end;
      fill();
    }
    return sha256;
  }

  private boolean blank() {
    for (int i = off; i < off + len; i++) {
      byte c = buf[i];
      if (c != ' ' && c != '\t' && c != '\r') {
        return false;
      }
    }
    return true;
  }

  private boolean readLine() {
    lineStart = chunkBase + pos;
    int nl = indexOfNewline(chunk, pos, end);
    if (nl >= 0) { // the whole line is inside the current chunk: no copy
      set(chunk, pos, nl - pos);
      pos = nl + 1;
      return true;
    }
    int n = 0;
    while (true) {
      int stop = nl >= 0 ? nl : end;
      int k = stop - pos;
      if (n + k > Jsonl.MAX_LINE_BYTES) {
        throw Jsonl.tooLong(source, lineNumber + 1);
      }
      if (n + k > lineBuf.length) {
        lineBuf = Arrays.copyOf(lineBuf, Math.max(lineBuf.length * 2, n + k));
      }
      System.arraycopy(chunk, pos, lineBuf, n, k);
      n += k;
      if (nl >= 0) {
        pos = nl + 1;
        set(lineBuf, 0, n);
        return true;
      }
      pos = end;
      if (!fill()) {
        if (n == 0) {
          return false;
        }
        set(lineBuf, 0, n);
        return true;
      }
      nl = indexOfNewline(chunk, pos, end);
    }
  }

  private void set(byte[] b, int o, int l) {
    if (l > 0 && b[o + l - 1] == '\r') {
      l--;
    }
    lineNumber++;
    if (lineNumber == 1 && l >= 3 && b[o] == (byte) 0xEF && b[o + 1] == (byte) 0xBB
        && b[o + 2] == (byte) 0xBF) {
      o += 3;
      l -= 3;
      lineStart += 3;
    }
    buf = b;
    off = o;
    len = l;
  }

  /** Hands the consumed chunk back and takes the next one; false at the end of the file. */
  private boolean fill() {
    if (eof) {
      return false;
    }
    if (current != null) {
      free.add(current);
      current = null;
    }
    Chunk c;
    try {
      c = full.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlumbException("interrupted while reading " + source, e);
    }
    if (c.error != null) {
      throw new InputException(
          Problem.at(source, lineNumber + 1, "", "cannot read: " + c.error.getMessage()), c.error);
    }
    if (c.end) {
      eof = true;
      sha256 = c.sha256;
      chunk = new byte[0];
      pos = end = 0;
      return false;
    }
    current = c;
    chunkBase += end;
    chunk = c.data;
    pos = 0;
    end = c.length;
    return true;
  }

  /** The first '\n' in b[from, to), eight bytes at a time (SWAR), or -1. */
  static int indexOfNewline(byte[] b, int from, int to) {
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long x = (long) LONGS.get(b, i) ^ 0x0A0A0A0A0A0A0A0AL;
      long found = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  @Override
  public void close() {
    closed = true;
    producer.interrupt();
  }
}
