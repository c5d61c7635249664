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
  final byte[] json;
  private transient byte[] idBytes;

  Candidate(FrameUnit unit, double u, double size, String stratum) {
    this.id = unit.id();
    this.source = unit.source();
    this.line = unit.line();
    this.weight = unit.weight();
    this.u = u;
    this.size = size;
    this.stratum = stratum;
    this.json = unit.json();
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
