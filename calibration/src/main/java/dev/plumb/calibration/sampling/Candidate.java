package dev.plumb.calibration.sampling;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/** A unit a sketch keeps (it may end up in the sample): its key numbers and its JSON text. */
final class Candidate implements Serializable {
  private static final long serialVersionUID = 1L;

  /** By id in code-point order (unsigned UTF-8 bytes): the order of sample.jsonl, and the tie-break. */
  static final Comparator<Candidate> BY_ID =
      (Comparator<Candidate> & Serializable) (a, b) -> Arrays.compareUnsigned(a.idBytes(), b.idBytes());

  final String id;
  final String source;
  final int line;
  final double weight;
  final double u;
  final double size;
  final String stratum;
  /** The unit's JSON text; null for a lean candidate until {@link StratifiedSketch} fetches it. */
  byte[] json;
  /** Where the unit's line is in the frame, for a lean candidate; -1 otherwise. */
  final long offset;
  final int length;
  private transient byte[] idBytes;

  Candidate(FrameUnit unit, double u, double size, String stratum) {
    this(unit, u, size, stratum, false);
  }

  /** With {@code lean} and a known offset, keeps only where the unit's text is, not the text. */
  Candidate(FrameUnit unit, double u, double size, String stratum, boolean lean) {
    this.id = unit.id();
    this.source = unit.source();
    this.line = unit.line();
    this.weight = unit.weight();
    this.u = u;
    this.size = size;
    this.stratum = stratum;
    boolean keep = !lean || unit.offset < 0;
    this.json = keep ? unit.json() : null;
    this.offset = keep ? -1 : unit.offset;
    this.length = unit.length();
  }

  byte[] idBytes() {
    if (idBytes == null) {
      idBytes = id.getBytes(StandardCharsets.UTF_8);
    }
    return idBytes;
  }

  @Override
  public String toString() {
    return id + "(u=" + u + ", size=" + size + ")";
  }
}
