package dev.plumb.labeler.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.AtomicOutput;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.Jsonl;
import dev.plumb.core.PlumbException;
import dev.plumb.core.Problem;
import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The label file of a run: locked against a second writer, repaired after a crash, indexed for
 * resuming, appended to record by record, and compacted to one record per (unit, policy) at the
 * end.
 *
 * <p><b>Crash safety.</b> Every batch of records is written with one {@code write} of whole lines
 * and flushed to the operating system, so a killed process leaves at most one torn last line. On
 * open a torn last line is cut off (or, if it is a whole record missing only its newline, the
 * newline is added). Records are forced to disk every 2 s.
 *
 * <p><b>Resume.</b> A (unit, policy) pair is done when the file has an {@code ok} or
 * {@code invalid} record for it with the current prompt fingerprint and model. Failed records and
 * records of other prompts or models are superseded: the pair is labeled again and compaction
 * keeps only the newest record of the best kind.
 */
final class LabelStore implements Closeable {
  private static final long FORCE_INTERVAL_NANOS = 2_000_000_000L;

  private final Path out;
  private final String fingerprint;
  private final String model;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final LongLongMap done = new LongLongMap();
  private final long existingRecords;
  private final String repair;
  private FileChannel channel;
  private boolean closed;
  private long lastForce = System.nanoTime();

  private LabelStore(Path out, String fingerprint, String model, boolean write) {
    this.out = out;
    this.fingerprint = fingerprint;
    this.model = model;
    if (write) {
      Path lockFile = lockFile(out);
      Held held = lock(out, lockFile);
      lockChannel = held.channel();
      lock = held.lock();
      try {
        String tail = repairTail();
        repair = held.takenOver() == null ? tail : tail == null ? held.takenOver() : held.takenOver() + "; " + tail;
        existingRecords = index(false);
      } catch (RuntimeException e) {
        close(); // a file that cannot be read (binary, not JSON Lines) leaves no lock behind
        throw e;
      }
    } else {
      lockChannel = null;
      lock = null;
      repair = null;
      existingRecords = index(true);
    }
  }

  /** The lock held on {@code FILE.lock}, and what taking it said about a previous holder (or null). */
  private record Held(FileChannel channel, FileLock lock, String takenOver) {}

  /**
   * Takes the exclusive lock on {@code lockFile}. The operating system frees the lock of a process
   * that dies (even by kill -9), but not the file: a lock file with a previous holder's record
   * ({@code pid}, start time), found unlocked, is a killed run's; it is taken over and said so. The
   * holder's record is written into the file, which {@link #close()} deletes while still holding
   * the lock; a run that locked a file deleted meanwhile (a path now naming another file) retries.
   */
  private static Held lock(Path out, Path lockFile) {
    try {
      Files.createDirectories(out.toAbsolutePath().getParent());
      for (int attempt = 0; ; attempt++) {
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
        Object opened = fileKey(lockFile);
        FileLock l;
        try {
          l = channel.tryLock();
        } catch (OverlappingFileLockException e) {
          l = null;
        }
        if (l == null) {
          String holder = holder(channel);
          channel.close();
          throw new PlumbException(
              out + " is being written by another plumb label run (" + (holder.isEmpty() ? "it" : holder + ",")
                  + " holds " + lockFile.getFileName() + "); wait for that run to finish, or label into another --out");
        }
        String previous = holder(channel);
        ProcessHandle me = ProcessHandle.current();
        String record = "pid " + me.pid() + ", started " + me.info().startInstant().map(Object::toString).orElse("?")
            + "\n";
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(record.getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(false);
        // (compared by stat, never by opening the file: closing another descriptor of it would drop our lock)
        if ((opened == null || !opened.equals(fileKey(lockFile))) && attempt < 10) {
          // the holder deleted the file between our open and our lock: lock the file the path names now
          l.release();
          channel.close();
          continue;
        }
        String takenOver = previous.isEmpty() ? null
            : "took over " + lockFile.getFileName() + " from a plumb label run that was killed (" + previous + ")";
        return new Held(channel, l, takenOver);
      }
    } catch (IOException e) {
      throw new PlumbException("cannot lock " + lockFile + ": " + e.getMessage(), e);
    }
  }

  /** The holder record in a lock file ("pid 4242, started ..."), or "" when empty or unreadable. */
  private static String holder(FileChannel channel) {
    try {
      ByteBuffer b = ByteBuffer.allocate((int) Math.min(channel.size(), 200));
      channel.read(b, 0);
      return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "";
    }
  }

  /** The file's identity (device and inode) by stat, or null when it is gone. */
  private static Object fileKey(Path file) {
    try {
      return Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    } catch (IOException e) {
      return null;
    }
  }


  /** Opens {@code out} for a run: takes the lock, repairs a torn tail, indexes what is done. */
  static LabelStore open(Path out, String fingerprint, String model) {
    return new LabelStore(out, fingerprint, model, true);
  }

  /** Indexes {@code out} without locking or changing it (dry runs). */
  static LabelStore read(Path out, String fingerprint, String model) {
    return new LabelStore(out, fingerprint, model, false);
  }

  static Path lockFile(Path out) {
    return out.resolveSibling(out.getFileName() + ".lock");
  }

  /** Whether opening took the lock over from a killed run (its lock file was left behind). */
  boolean tookOver() {
    return repair != null && repair.startsWith("took over ");
  }

  /** What was repaired on open ("removed a torn last line (57 bytes)"), or {@code null}. */
  String repair() {
    return repair;
  }

  /** Records in the file when it was opened. */
  long existingRecords() {
    return existingRecords;
  }

  boolean done(String unit, String policy) {
    return done.contains(LongLongMap.key(unit, policy));
  }

  private String repairTail() {
    if (!Files.isRegularFile(out)) {
      return null;
    }
    try (FileChannel ch = FileChannel.open(out, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = ch.size();
      if (size == 0) {
        return null;
      }
      long lastNewline = -1;
      ByteBuffer buf = ByteBuffer.allocate(1 << 16);
      for (long end = size; end > 0 && lastNewline < 0; ) {
        long start = Math.max(0, end - buf.capacity());
        buf.clear().limit((int) (end - start));
        while (buf.hasRemaining()) {
          if (ch.read(buf, start + buf.position()) < 0) {
            break;
          }
        }
        for (int i = (int) (end - start) - 1; i >= 0; i--) {
          if (buf.get(i) == '\n') {
            lastNewline = start + i;
            break;
          }
        }
        end = start;
      }
      long tailStart = lastNewline + 1;
      if (tailStart >= size) {
        return null;
      }
      ByteBuffer tail = ByteBuffer.allocate((int) Math.min(size - tailStart, 1 << 24));
      ch.read(tail, tailStart);
      String text = new String(tail.array(), 0, tail.position(), StandardCharsets.UTF_8);
      boolean whole;
      try {
        whole = size - tailStart <= (1 << 24) && Json.mapper().readTree(text) instanceof ObjectNode;
      } catch (IOException e) {
        whole = false;
      }
      if (whole) {
        ch.write(ByteBuffer.wrap(new byte[] {'\n'}), size);
        return "added the missing newline after the last record";
      }
      if (!text.startsWith("{")) {
        // plumb writes every record as one JSON object, so a line it tore starts with "{"; anything
        // else is another file named by --out, which must not be cut (issue 18, data safety)
        throw new InputException(Problem.at(out.toString(), lineOf(ch, tailStart), "",
            "not a labels file: its last line is not a record plumb writes; nothing was changed (give another --out)"));
      }
      ch.truncate(tailStart);
      ch.force(true);
      return "removed a torn last line (" + (size - tailStart) + " bytes) left by an interrupted run";
    } catch (IOException e) {
      throw new PlumbException("cannot repair " + out + ": " + e.getMessage(), e);
    }
  }

  /** The 1-based line that starts at byte {@code offset} (newlines before it, plus one). */
  private static int lineOf(FileChannel ch, long offset) throws IOException {
    int line = 1;
    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    for (long pos = 0; pos < offset; ) {
      buf.clear().limit((int) Math.min(buf.capacity(), offset - pos));
      int n = ch.read(buf, pos);
      if (n <= 0) {
        break;
      }
      for (int i = 0; i < n; i++) {
        if (buf.get(i) == '\n') {
          line++;
        }
      }
      pos += n;
    }
    return line;
  }

  private long index(boolean tolerateTorn) {
    if (!Files.isRegularFile(out)) {
      return 0;
    }
    long n = 0;
    try (Jsonl jsonl = Jsonl.open(out)) {
      if (tolerateTorn) {
        jsonl.tolerateTornTail();
      }
      for (Jsonl.Line line : jsonl) {
        n++;
        ObjectNode r = line.node();
        String unit = text(r, "unit", line.number());
        String policy = text(r, "policy", line.number());
        if (isCurrent(r)) {
          done.put(LongLongMap.key(unit, policy), 1);
        }
      }
    }
    return n;
  }

  private boolean isCurrent(ObjectNode r) {
    String status = r.path("status").asText("");
    return (status.equals("ok") || status.equals("invalid"))
        && fingerprint.equals(r.path("prompt").asText(null))
        && model.equals(r.path("model").asText(null));
  }

  private String text(ObjectNode r, String field, int line) {
    JsonNode v = r.get(field);
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw new InputException(
          Problem.at(out.toString(), line, field, "missing: not a label record (use another --out, or remove the file)"));
    }
    return v.asText();
  }

  /**
   * Appends whole records and flushes them to the operating system.
   *
   * @return false (writing nothing) after {@link #close()}: a late answer is dropped, not torn
   */
  synchronized boolean append(List<ObjectNode> records) {
    if (closed) {
      return false;
    }
    StringBuilder sb = new StringBuilder(records.size() * 400);
    for (ObjectNode r : records) {
      sb.append(Json.line(r)).append('\n');
    }
    ByteBuffer buf = StandardCharsets.UTF_8.encode(sb.toString());
    try {
      if (channel == null) {
        // opened at the first record, so a run that fails before any answer leaves no empty file
        channel = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      }
      while (buf.hasRemaining()) {
        channel.write(buf);
      }
      long now = System.nanoTime();
      if (now - lastForce > FORCE_INTERVAL_NANOS) {
        channel.force(false);
        lastForce = now;
      }
    } catch (IOException e) {
      throw new PlumbException("cannot write " + out + ": " + e.getMessage(), e);
    }
    return true;
  }

  /** Stops appending (later {@link #append}s are dropped) and forces what was written to disk. */
  synchronized void closeAppends() {
    if (closed) {
      return;
    }
    closed = true;
    if (channel != null) {
      try {
        channel.force(true);
        channel.close();
      } catch (IOException e) {
        throw new PlumbException("cannot write " + out + ": " + e.getMessage(), e);
      }
    }
  }

  /** Status counts of the run's pairs after compaction. */
  record Counts(long ok, long invalid, long failed, long missing, long superseded, long records) {
    /** The counts a run's summary and run.json report (the record total is the store's own). */
    RunSummary.Counts summary() {
      return new RunSummary.Counts(ok, invalid, failed, missing, superseded);
    }
  }

  /**
   * Rewrites the file (atomically) with one record per (unit, policy): the newest {@code ok} or
   * {@code invalid} record of the current prompt and model, else the newest record. Skipped when
   * there is nothing to drop. Then counts the statuses of {@code runPairs}.
   */
  Counts compact(LongLongMap runPairs) {
    closeAppends();
    LongLongMap best = new LongLongMap();
    long lines = 0;
    if (Files.isRegularFile(out)) {
      try (Jsonl jsonl = Jsonl.open(out)) {
        for (Jsonl.Line line : jsonl) {
          ObjectNode r = line.node();
          long key = LongLongMap.key(text(r, "unit", line.number()), text(r, "policy", line.number()));
          long rank = isCurrent(r) ? 1 : 0;
          long status =
              switch (r.path("status").asText("")) {
                case "ok" -> 0;
                case "invalid" -> 1;
                case "failed" -> 2;
                default -> 3;
              };
          long previous = best.get(key, -1);
          if (previous < 0 || rank >= ((previous >> 2) & 1)) {
            best.put(key, (lines << 3) | (rank << 2) | status);
          }
          lines++;
        }
      }
    }
    long superseded = lines - best.size();
    if (superseded > 0) {
      rewrite(best);
    }
    long[] counts = new long[4];
    long[] found = {0};
    runPairs.forEach((key, unused) -> {
      long v = best.get(key, -1);
      if (v >= 0) {
        counts[(int) (v & 3)]++;
        found[0]++;
      }
    });
    return new Counts(counts[0], counts[1], counts[2] + counts[3], runPairs.size() - found[0], superseded, best.size());
  }

  private void rewrite(LongLongMap best) {
    try (AtomicOutput o = AtomicOutput.create(out); Jsonl jsonl = Jsonl.open(out)) {
      Writer w = o.writer();
      long i = 0;
      for (Jsonl.Line line : jsonl) {
        ObjectNode r = line.node();
        long key = LongLongMap.key(r.get("unit").asText(), r.get("policy").asText());
        if ((best.get(key, -1) >>> 3) == i) {
          w.write(Json.line(r));
          w.write('\n');
        }
        i++;
      }
      o.commit();
    } catch (IOException e) {
      throw new PlumbException("cannot compact " + out + ": " + e.getMessage(), e);
    }
  }

  /**
   * Deletes the lock file while still holding its lock, then releases it: a run that opened the
   * file meanwhile finds, once it has the lock, that the path no longer names its file, and retries.
   */
  @Override
  public synchronized void close() {
    try {
      closeAppends();
    } finally {
      try {
        if (lock != null && lock.isValid()) {
          Files.deleteIfExists(lockFile(out));
          lock.release();
        }
        if (lockChannel != null) {
          lockChannel.close();
        }
      } catch (IOException e) {
        // the lock dies with the channel or the process anyway
      }
    }
  }
}
