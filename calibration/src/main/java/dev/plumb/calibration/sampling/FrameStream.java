package dev.plumb.calibration.sampling;

import java.io.Closeable;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * A frame file as a stream of {@link FrameUnit}s, for engines that read the frame themselves (e.g.
 * one Spark task per file): the same reader and parser as {@code plumb sample}, so lines, gzip,
 * blank lines, a byte-order mark and every validation are handled identically.
 *
 * <p>A unit returned by {@link #next} is valid until the following call (its JSON text is a view into
 * the read buffer; a sketch that keeps a unit copies it). Not thread-safe; close it to release the
 * background reading thread.
 */
public final class FrameStream implements Closeable {
  private final FrameReader reader;
  private final FrameParser parser = new FrameParser();

  private FrameStream(FrameReader reader) {
    this.reader = reader;
  }

  /** Reads a local file. */
  public static FrameStream open(Path path) {
    return new FrameStream(FrameReader.open(path));
  }

  /**
   * Reads any stream (plain or gzip, detected from the content); {@code source} names it in error
   * messages and in the units' {@link FrameUnit#source()}. Takes ownership of {@code in}.
   */
  public static FrameStream open(String source, InputStream in) {
    return new FrameStream(FrameReader.open(source, in));
  }

  /**
   * The next unit, or null at the end.
   *
   * @throws dev.plumb.core.InputException at the first invalid line, naming file, line and field
   */
  public FrameUnit next() {
    if (!reader.next()) {
      return null;
    }
    return parser.parse(reader.buffer(), reader.offset(), reader.length(), reader.source(),
        reader.lineNumber());
  }

  /** The SHA-256 of the stream's bytes as stored ({@code sha256:<hex>}); reads to the end first. */
  public String sha256() {
    return reader.sha256();
  }

  @Override
  public void close() {
    reader.close();
  }
}
