package dev.plumb.core;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * An output file that appears whole or not at all. Content goes to a hidden temporary file beside
 * the target; {@link #commit()} flushes it to disk and renames it over the target in one atomic
 * step. Closing without committing (an exception, a validation failure) deletes the temporary
 * file, so a failed command never leaves half-written output.
 *
 * <pre>{@code
 * try (AtomicOutput out = AtomicOutput.create(path)) {
 *   out.writer().write(...);
 *   out.commit();
 * }
 * }</pre>
 *
 * <p>The file gets the mode any Unix tool's output gets: {@code 0666} less the process umask (the
 * temporary file is created without the {@code 0600} of {@link Files#createTempFile}, which would
 * otherwise survive the rename). Plumb writes no secrets to files (keys come from the environment),
 * so no output needs a narrower mode.
 *
 * <p><b>Interrupts.</b> The temporary file is named {@code .NAME.PID-RANDOM.partial}. Ctrl-C (or any
 * JVM shutdown) deletes the temporary files of outputs not yet committed, so the previous file
 * stays and no debris is left; a process killed outright (kill -9) leaves its temporary file, and
 * the next {@link #create} of the same target removes every one whose process is gone (and, from
 * older plumb versions without a process id in the name, any older than an hour).
 *
 * <p>A target that is an existing folder, or whose folder cannot exist because a path above it is a
 * regular file, is a usage mistake: {@link #create} raises an {@link InputException} naming the
 * target, never the temporary file.
 *
 * Not thread-safe.
 */
public final class AtomicOutput implements Closeable {
  private final Path target;
  private final Path temp;
  private final FileChannel channel;
  private final OutputStream stream;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long PID = ProcessHandle.current().pid();
  /** Temporary files not yet committed or discarded: deleted by the shutdown hook. */
  private static final java.util.Set<Path> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private static final java.util.concurrent.atomic.AtomicBoolean HOOKED = new java.util.concurrent.atomic.AtomicBoolean();

  private Writer writer;
  private boolean done;

  private AtomicOutput(Path target, Path temp, FileChannel channel) {
    this.target = target;
    this.temp = temp;
    this.channel = channel;
    this.stream = Channels.newOutputStream(channel);
  }

  /**
   * Opens a temporary file beside {@code target}, creating the folders above it.
   *
   * @throws InputException when {@code target} is a folder or a path above it is a regular file
   * @throws PlumbException on another I/O failure (permissions, a full disk)
   */
  public static AtomicOutput create(Path target) {
    checkTarget(target);
    Path dir = target.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
      sweep(dir, target.getFileName().toString());
      if (HOOKED.compareAndSet(false, true)) {
        Runtime.getRuntime().addShutdownHook(new Thread(AtomicOutput::discardAll, "plumb-discard-partial-outputs"));
      }
      for (int attempt = 0; ; attempt++) {
        Path temp = dir.resolve("." + target.getFileName() + "." + PID + "-" + Long.toUnsignedString(RANDOM.nextLong(), 36)
            + ".partial");
        try {
          // CREATE_NEW without a permission attribute: the mode is 0666 less the umask, as for any tool
          FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          LIVE.add(temp);
          return new AtomicOutput(target, temp, channel);
        } catch (FileAlreadyExistsException e) {
          if (attempt == 100) {
            throw e;
          }
        }
      }
    } catch (IOException e) {
      throw new PlumbException("cannot create " + target + ": " + e.getMessage(), e);
    }
  }

  /** The shutdown hook: an interrupted command leaves no temporary file (its target keeps its old content). */
  private static void discardAll() {
    for (Path temp : LIVE) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException e) {
        // the next run's sweep removes it
      }
    }
  }

  /**
   * Deletes the temporary files of {@code name} in {@code dir} that a killed process left: those
   * whose process id is no longer running, and unnamed ones (older plumb) over an hour old.
   */
  static void sweep(Path dir, String name) {
    String prefix = "." + name + ".";
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      for (Path p : files.toList()) {
        String f = p.getFileName().toString();
        if (!f.startsWith(prefix) || !f.endsWith(".partial")) {
          continue;
        }
        String middle = f.substring(prefix.length(), f.length() - ".partial".length());
        int dash = middle.indexOf('-');
        boolean stale;
        if (dash > 0 && middle.substring(0, dash).chars().allMatch(Character::isDigit)) {
          long pid = Long.parseLong(middle.substring(0, dash));
          stale = pid != PID && ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
        } else if (!middle.isEmpty() && middle.chars().allMatch(Character::isDigit)) {
          // Files.createTempFile's name (older plumb): no owner to ask, so only when surely abandoned
          stale = Files.getLastModifiedTime(p).toMillis() < System.currentTimeMillis() - 3_600_000L;
        } else {
          stale = false; // another file's temporary (".a.b.…" is not ".a.…")
        }
        if (stale) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // sweeping is best effort: a leftover costs disk space, never correctness
    }
  }

  /**
   * Refuses, as a usage mistake, a file target that cannot be a file: an existing folder, or a path
   * under a regular file. Commands call it before any work so the mistake costs nothing.
   *
   * @throws InputException saying which of the two it is
   */
  public static void checkTarget(Path target) {
    if (Files.isDirectory(target)) {
      throw new InputException(target + ": is a folder; give a file name for this output");
    }
    for (Path p = target.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p)) {
        throw new InputException(target + ": cannot be written: " + p + " is a file, not a folder");
      }
      if (Files.isDirectory(p)) {
        return;
      }
    }
  }

  /** Writes {@code text} (UTF-8) to {@code target} atomically. */
  public static void write(Path target, String text) {
    try (AtomicOutput out = create(target)) {
      out.writer().write(text);
      out.commit();
    } catch (IOException e) {
      throw new PlumbException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  /** Raw bytes. Do not mix with {@link #writer()}. */
  public OutputStream stream() {
    return stream;
  }

  /** A buffered UTF-8 writer over the file. */
  public Writer writer() {
    if (writer == null) {
      writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
    }
    return writer;
  }

  /** Makes the content visible at the target path, replacing any previous file. */
  public void commit() {
    if (done) {
      throw new IllegalStateException("already committed or closed: " + target);
    }
    try {
      if (writer != null) {
        writer.flush();
      }
      stream.flush();
      channel.force(true);
      channel.close();
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      LIVE.remove(temp);
      done = true;
    } catch (IOException e) {
      throw new PlumbException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  /** Discards the content unless {@link #commit()} succeeded. */
  @Override
  public void close() {
    if (done) {
      return;
    }
    done = true;
    try {
      channel.close();
      Files.deleteIfExists(temp);
      LIVE.remove(temp);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
