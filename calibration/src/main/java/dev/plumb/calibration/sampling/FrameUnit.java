package dev.plumb.calibration.sampling;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * One unit of the sampling frame as the designs see it: its id, exposure weight, risk scores and
 * attributes, where it came from, and its original JSON text (copied unchanged into the sample).
 *
 * <p>The reader that streams a frame hands out units whose JSON text is a view into its read buffer,
 * valid only during {@link SampleSketch#offer}; a sketch that keeps a unit copies the text. Units
 * made with {@link #parse(String, String, int)} own their text.
 */
public final class FrameUnit {
  private final String source;
  private final int line;
  private final String id;
  private final double weight;
  private final Map<String, Double> scores;
  private final Map<String, String> attributes;
  private final byte[] buf;
  private final int off;
  private final int len;
  /** Where the line starts in the frame file (set by the sampler's reader); -1 when unknown. */
  long offset = -1;

  FrameUnit(
      String source, int line, String id, double weight, Map<String, Double> scores,
      Map<String, String> attributes, byte[] buf, int off, int len) {
    this.source = source;
    this.line = line;
    this.id = id;
    this.weight = weight;
    this.scores = scores;
    this.attributes = attributes;
    this.buf = buf;
    this.off = off;
    this.len = len;
  }

  /**
   * Parses one frame line (docs/formats.md, Unit): validates {@code id}, {@code weight},
   * {@code scores} and {@code attributes}; other fields are only checked to be valid JSON.
   *
   * @throws dev.plumb.core.InputException naming {@code source}, {@code line} and the field
   */
  public static FrameUnit parse(String json, String source, int line) {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    return new FrameParser().parse(b, 0, b.length, source, line);
  }

  /** The file the unit came from, as the user named it. */
  public String source() {
    return source;
  }

  /** 1-based line number in {@link #source()}. */
  public int line() {
    return line;
  }

  public String id() {
    return id;
  }

  /** Exposure (impressions), >= 0; 1 when the unit has no {@code weight}. */
  public double weight() {
    return weight;
  }

  /** ML risk scores by policy id, each in [0,1]; unmodifiable, possibly empty. */
  public Map<String, Double> scores() {
    return scores;
  }

  /** Attribute values as text; unmodifiable, possibly empty. */
  public Map<String, String> attributes() {
    return attributes;
  }

  /** The length of the unit's JSON text in bytes. */
  int length() {
    return len;
  }

  /** The unit's JSON text, UTF-8, exactly as in the frame (without the line end). A copy. */
  public byte[] json() {
    return Arrays.copyOfRange(buf, off, off + len);
  }

  @Override
  public String toString() {
    return "FrameUnit[" + source + ":" + line + " " + id + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FrameUnit u && u.id.equals(id) && u.line == line && u.source.equals(source);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, line, source);
  }
}
