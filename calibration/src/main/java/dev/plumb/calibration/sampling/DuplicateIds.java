package dev.plumb.calibration.sampling;

import dev.plumb.core.InputException;
import dev.plumb.core.PlumbException;
import dev.plumb.core.Problem;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds repeated 64-bit id hashes in a stream of any length with a fixed amount of memory.
 *
 * <p>Exact duplicate detection over a frame needs memory proportional to the frame; to keep the heap
 * bounded whatever the frame size, hashes are collected in a fixed buffer ({@code chunk} longs, 16 MB
 * by default); a full buffer is sorted and written to a temporary file as a sorted run, and
 * {@link #repeated} merges the runs. Frames up to one chunk (2M units) never touch the disk; larger
 * ones use 8 bytes of temporary disk per unit. A repeated hash is a duplicate id or, with
 * probability about N²/2⁶⁵, a collision of two different ids: the caller confirms candidates
 * against the ids themselves.
 */
final class DuplicateIds implements Closeable {
  static final int DEFAULT_CHUNK = 1 << 21;

  private final int chunk;
  private long[] buf;
  private int count;
  private final List<Path> runs = new ArrayList<>();

  DuplicateIds() {
    this(DEFAULT_CHUNK);
  }

  DuplicateIds(int chunk) {
    this.chunk = chunk;
    this.buf = new long[Math.min(chunk, 1 << 12)];
  }

  void add(long hash) {
    if (count == buf.length) {
      if (buf.length < chunk) {
        buf = Arrays.copyOf(buf, Math.min(chunk, buf.length * 2));
      } else {
        spill();
      }
    }
    buf[count++] = hash;
  }

  /** Hashes that occur more than once, ascending, at most {@code max} of them. */
  long[] repeated(int max) {
    Arrays.sort(buf, 0, count);
    if (runs.isEmpty()) {
      return repeatedIn(buf, count, max);
    }
    return merge(max);
  }

  private static long[] repeatedIn(long[] sorted, int n, int max) {
    long[] out = new long[Math.min(max, 16)];
    int k = 0;
    for (int i = 1; i < n && k < max; i++) {
      if (sorted[i] == sorted[i - 1] && (k == 0 || out[k - 1] != sorted[i])) {
        if (k == out.length) {
          out = Arrays.copyOf(out, Math.min(max, out.length * 2));
        }
        out[k++] = sorted[i];
      }
    }
    return Arrays.copyOf(out, k);
  }

  private void spill() {
    Arrays.sort(buf, 0, count);
    try {
      Path run = Files.createTempFile("plumb-ids-", ".run");
      runs.add(run);
      try (DataOutputStream out =
          new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(run), 1 << 16))) {
        for (int i = 0; i < count; i++) {
          out.writeLong(buf[i]);
        }
      }
    } catch (IOException e) {
      throw new PlumbException("cannot write a temporary file for the duplicate-id check: " + e.getMessage(), e);
    }
    count = 0;
  }

  /** k-way merge of the sorted runs and the sorted in-memory rest, through a binary heap. */
  private long[] merge(int max) {
    int k = runs.size() + 1;
    DataInputStream[] in = new DataInputStream[runs.size()];
    long[] head = new long[k];
    int memPos = 0;
    int[] heap = new int[k];
    int size = 0;
    long[] out = new long[0];
    try {
      for (int r = 0; r < runs.size(); r++) {
        in[r] = new DataInputStream(new BufferedInputStream(Files.newInputStream(runs.get(r)), 1 << 16));
        head[r] = in[r].readLong(); // runs are never empty
        size = push(heap, size, head, r);
      }
      if (count > 0) {
        head[k - 1] = buf[memPos++];
        size = push(heap, size, head, k - 1);
      }
      boolean have = false;
      long prev = 0;
      while (size > 0 && out.length < max) {
        int src = heap[0];
        long v = head[src];
        if (have && v == prev && (out.length == 0 || out[out.length - 1] != v)) {
          out = Arrays.copyOf(out, out.length + 1);
          out[out.length - 1] = v;
        }
        have = true;
        prev = v;
        boolean more;
        if (src == k - 1) {
          more = memPos < count;
          if (more) {
            head[src] = buf[memPos++];
          }
        } else {
          try {
            head[src] = in[src].readLong();
            more = true;
          } catch (EOFException e) {
            more = false;
          }
        }
        if (more) {
          siftDown(heap, size, head, 0);
        } else {
          heap[0] = heap[--size];
          siftDown(heap, size, head, 0);
        }
      }
      return out;
    } catch (IOException e) {
      throw new PlumbException("cannot read a temporary file of the duplicate-id check: " + e.getMessage(), e);
    } finally {
      for (DataInputStream s : in) {
        if (s != null) {
          try {
            s.close();
          } catch (IOException e) {
            // a temporary file; nothing to lose
          }
        }
      }
    }
  }

  private static int push(int[] heap, int size, long[] head, int src) {
    int i = size++;
    heap[i] = src;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (head[heap[parent]] <= head[heap[i]]) {
        break;
      }
      swap(heap, parent, i);
      i = parent;
    }
    return size;
  }

  private static void siftDown(int[] heap, int size, long[] head, int i) {
    while (true) {
      int l = 2 * i + 1;
      if (l >= size) {
        return;
      }
      int m = l + 1 < size && head[heap[l + 1]] < head[heap[l]] ? l + 1 : l;
      if (head[heap[i]] <= head[heap[m]]) {
        return;
      }
      swap(heap, m, i);
      i = m;
    }
  }

  private static void swap(int[] heap, int i, int j) {
    int t = heap[i];
    heap[i] = heap[j];
    heap[j] = t;
  }

  /**
   * Re-reads the frame for the ids behind repeated hashes ({@code UnitRandom.hash(seed, id)}); throws
   * at the first true duplicate, {@code units.jsonl:9: id: duplicate unit id "u-3" (first on line 2)}.
   * Returns when every repeated hash was a collision of different ids.
   */
  static void confirm(Path frame, long seed, long[] repeated) {
    Set<Long> suspects = new HashSet<>();
    for (long h : repeated) {
      suspects.add(h);
    }
    Map<String, Integer> firstLine = new HashMap<>();
    Problem first = null;
    String source = frame.toString();
    try (FrameReader reader = FrameReader.open(frame)) {
      FrameParser parser = new FrameParser();
      while (reader.next()) {
        FrameUnit unit = parser.parse(reader.buffer(), reader.offset(), reader.length(), source,
            reader.lineNumber());
        if (suspects.contains(UnitRandom.hash(seed, unit.id()))) {
          Integer earlier = firstLine.putIfAbsent(unit.id(), unit.line());
          if (earlier != null) {
            first = dev.plumb.core.UnitCheck.duplicateId(source, unit.line(), unit.id(), earlier).problems().get(0);
            break;
          }
        }
      }
    }
    if (first != null) {
      throw new InputException(first);
    }
  }

  @Override
  public void close() {
    for (Path run : runs) {
      try {
        Files.deleteIfExists(run);
      } catch (IOException e) {
        // best effort: a temporary file
      }
    }
    runs.clear();
  }
}
