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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

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
 * Not thread-safe.
 */
public final class AtomicOutput implements Closeable {
  private final Path target;
  private final Path temp;
  private final FileChannel channel;
  private final OutputStream stream;
  private Writer writer;
  private boolean done;

  private AtomicOutput(Path target) throws IOException {
    this.target = target;
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    this.temp =
        Files.createTempFile(dir, "." + target.getFileName() + ".", ".partial");
    this.channel = FileChannel.open(temp, StandardOpenOption.WRITE);
    this.stream = Channels.newOutputStream(channel);
  }

  public static AtomicOutput create(Path target) {
    try {
      return new AtomicOutput(target);
    } catch (IOException e) {
      throw new PlumbException("cannot create " + target + ": " + e.getMessage(), e);
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
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
