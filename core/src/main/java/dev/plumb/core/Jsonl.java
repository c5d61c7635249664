package dev.plumb.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharsetDecoder;
import java.util.Arrays;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Streaming reader for JSON Lines files (plain or gzip, detected from the content), one object per
 * line, with the line number of every record so that errors can say where they are.
 *
 * <p>Blank lines are skipped. Invalid UTF-8, invalid JSON, or a line that is not an object is an
 * {@link InputException} naming the file and line. With {@link #tolerateTornTail()} a last line
 * that is not valid JSON (a write interrupted by a crash) is not an error: it is dropped and
 * reported by {@link #tornTail()}. Memory: one line at a time.
 */
public final class Jsonl implements Iterable<Jsonl.Line>, Closeable {
  /**
   * The longest line plumb reads, in bytes: 16 MiB. A unit's texts are kilobytes (images are
   * URLs), so a longer line is a wrong file or a runaway field; the one limit every JSON Lines reader
   * shares, checked while reading (never more than this is held for one line). It sits below
   * Jackson's 20-million-character string limit, so that limit is never what a user meets.
   */
  public static final int MAX_LINE_BYTES = 16 << 20;

  /** The error for line {@code line} of {@code source} running past {@link #MAX_LINE_BYTES}. */
  public static InputException tooLong(String source, int line) {
    return new InputException(Problem.at(source, line, "", "line longer than " + (MAX_LINE_BYTES >> 20)
        + " MiB, plumb's limit for one record (a unit's texts are usually a few kilobytes): is this the right file?"));
  }


  /** One record and where it came from. */
  public record Line(int number, ObjectNode node) {}

  private final String source;
  private final InputStream in;
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private byte[] buf = new byte[1 << 12];
  private final byte[] chunk = new byte[1 << 16];
  private int chunkPos;
  private int chunkEnd;
  private boolean tolerateTornTail;
  private boolean iterated;
  private int lineNumber;
  private String tornTail;

  private Jsonl(String source, InputStream in) {
    this.source = source;
    this.in = in;
  }

  /**
   * The file beside a JSON Lines file that describes it: {@code sample.jsonl} and
   * {@code sample.jsonl.gz} with {@code suffix} {@code .json} → {@code sample.json}; any other name
   * gets {@code suffix} appended.
   */
  public static Path sibling(Path jsonl, String suffix) {
    String name = jsonl.getFileName().toString();
    String stem = name.endsWith(".jsonl.gz") ? name.substring(0, name.length() - 9)
        : name.endsWith(".jsonl") ? name.substring(0, name.length() - 6) : name;
    return jsonl.resolveSibling(stem + suffix);
  }

  /** Opens {@code path}; gzip content is decompressed transparently. */
  public static Jsonl open(Path path) {
    String source = path.toString();
    requireRegularFile(path);
    try {
      InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
      raw.mark(2);
      int b1 = raw.read();
      int b2 = raw.read();
      raw.reset();
      InputStream in = (b1 == 0x1f && b2 == 0x8b) ? new GZIPInputStream(raw, 1 << 16) : raw;
      return new Jsonl(source, in);
    } catch (NoSuchFileException e) {
      throw new InputException(Problem.of(source + ": file not found"));
    } catch (IOException e) {
      throw new InputException(Problem.of(source + ": cannot read: " + e.getMessage()), e);
    }
  }

  /**
   * Refuses a path that exists but is not a regular file (a pipe such as {@code <(zcat f.gz)}, a
   * device): plumb may read an input more than once (to count, to hash, to resume), and a pipe gives
   * its content once — a second pass would see nothing, or the read fails with "Illegal seek".
   */
  public static void requireRegularFile(Path path) {
    if (Files.exists(path) && !Files.isRegularFile(path) && !Files.isDirectory(path)) {
      throw new InputException(Problem.of(path + ": not a regular file (a pipe or a device); plumb may read an input "
          + "more than once, so write it to a file first (a .gz file is read as it is)"));
    }
  }

  /** Reads the whole file, handing each record to {@code consumer}. */
  public static void forEach(Path path, Consumer<Line> consumer) {
    try (Jsonl jsonl = open(path)) {
      for (Line line : jsonl) {
        consumer.accept(line);
      }
    }
  }

  /** Drop an unparseable last line instead of failing (for resuming append-only outputs). */
  public Jsonl tolerateTornTail() {
    this.tolerateTornTail = true;
    return this;
  }

  /** The raw text of a dropped torn last line, or {@code null} when the file ended cleanly. */
  public String tornTail() {
    return tornTail;
  }

  /** The file name as shown in messages. */
  public String source() {
    return source;
  }

  /** One non-blank line's text and number, unparsed. */
  public record Text(int number, String text) {}

  /**
   * The non-blank lines as text, without parsing them: for readers that stream-parse only the
   * fields they need from large files. Invalid UTF-8 is still an error naming the line; JSON errors
   * are the caller's to report (with {@link #source()} and {@link Text#number()}). A Jsonl is
   * iterated once, either way.
   */
  public Iterable<Text> texts() {
    once();
    return () -> new Ahead<>() {
      @Override
      Text advance() {
        for (String text = readLine(); text != null; text = readLine()) {
          if (!text.isBlank()) {
            return new Text(lineNumber, text);
          }
        }
        return null;
      }
    };
  }

  @Override
  public Iterator<Line> iterator() {
    once();
    return new Ahead<>() {
      // one line read ahead: a torn tail can only be the last line
      private String pending = readLine();

      @Override
      Line advance() {
        while (pending != null) {
          String text = pending;
          int number = lineNumber;
          pending = readLine();
          if (!text.isBlank()) {
            return parse(text, number, pending == null);
          }
        }
        return null;
      }
    };
  }

  private void once() {
    if (iterated) {
      throw new IllegalStateException("a Jsonl can be iterated once");
    }
    iterated = true;
  }

  /** An iterator over what {@link #advance} returns until it returns null. */
  private abstract static class Ahead<T> implements Iterator<T> {
    private T next;

    /** The next element, or null at the end. */
    abstract T advance();

    @Override
    public boolean hasNext() {
      if (next == null) {
        next = advance();
      }
      return next != null;
    }

    @Override
    public T next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      T t = next;
      next = null;
      return t;
    }
  }

  /** Reads one line as bytes and decodes it strictly, so a bad byte is reported on its own line. */
  private String readLine() {
    try {
      int len = 0;
      boolean sawNewline = false;
      while (!sawNewline) {
        if (chunkPos == chunkEnd) {
          chunkEnd = in.read(chunk);
          chunkPos = 0;
          if (chunkEnd <= 0) {
            chunkEnd = 0;
            break;
          }
        }
        int start = chunkPos;
        while (chunkPos < chunkEnd && chunk[chunkPos] != '\n') {
          chunkPos++;
        }
        int n = chunkPos - start;
        if (len + n > buf.length) {
          buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
        if (len + n > MAX_LINE_BYTES) {
          throw tooLong(source, lineNumber + 1);
        }
        System.arraycopy(chunk, start, buf, len, n);
        len += n;
        if (chunkPos < chunkEnd) {
          chunkPos++; // the newline
          sawNewline = true;
        }
      }
      if (!sawNewline && len == 0) {
        return null;
      }
      if (len > 0 && buf[len - 1] == '\r') {
        len--;
      }
      String line = ascii(buf, len)
          ? new String(buf, 0, len, java.nio.charset.StandardCharsets.ISO_8859_1) // one copy, no CharBuffer
          : decoder.decode(ByteBuffer.wrap(buf, 0, len)).toString();
      {
        lineNumber++;
        if (lineNumber == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
          line = line.substring(1); // a byte-order mark is harmless in JSON Lines
        }
      }
      return line;
    } catch (CharacterCodingException e) {
      lineNumber++;
      throw new InputException(Problem.at(source, lineNumber, "", "invalid UTF-8"), e);
    } catch (IOException e) {
      throw new InputException(
          Problem.at(source, lineNumber + 1, "", "cannot read: " + e.getMessage()), e);
    }
  }

  /** Whether b[0, len) is all ASCII (then Latin-1 decoding is the UTF-8 decoding, and always valid). */
  private static boolean ascii(byte[] b, int len) {
    for (int i = 0; i < len; i++) {
      if (b[i] < 0) {
        return false;
      }
    }
    return true;
  }

  private Line parse(String text, int number, boolean last) {
    JsonNode node;
    try {
      node = Json.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      if (last && tolerateTornTail) {
        tornTail = text;
        return null;
      }
      throw new InputException(
          Problem.at(source, number, e.getLocation() == null ? 0 : e.getLocation().getColumnNr(),
              "", "invalid JSON: " + Json.parserMessage(e)));
    }
    if (!(node instanceof ObjectNode object)) {
      if (last && tolerateTornTail) {
        tornTail = text;
        return null;
      }
      throw new InputException(
          Problem.at(source, number, "", "expected a JSON object, found " + Json.describe(node)));
    }
    return new Line(number, object);
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
