package dev.plumb.calibration.sampling;

import dev.plumb.core.LocatedYaml;
import dev.plumb.core.Problem;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * Where a design's options were written, so that a problem found later (while reading the frame) can
 * point at the line of the option that caused it.
 *
 * @param source the design file as the user named it ({@code "design"} for designs built in code)
 * @param positions field path ({@code n}, {@code bins}, {@code sizes.s1}) to its position
 */
public record Origin(String source, Map<String, Position> positions) implements Serializable {

  /** A 1-based line and column. */
  public record Position(int line, int column) implements Serializable {}

  /** For designs built in code. */
  public static final Origin NONE = new Origin("design", Map.of());

  public Origin {
    positions = Map.copyOf(positions);
  }

  /** Where every value of a document was written. */
  public static Origin of(LocatedYaml doc) {
    Map<String, Position> positions = new HashMap<>();
    doc.positions().forEach((path, p) -> positions.put(path, new Position(p.line(), p.column())));
    return new Origin(doc.source(), positions);
  }

  /** A problem located at {@code field} (or at its parent option when the field itself has none). */
  public Problem problem(String field, String message) {
    String f = field;
    while (true) {
      Position p = positions.get(f);
      if (p != null) {
        return Problem.at(source, p.line(), p.column(), field, message);
      }
      int cut = Math.max(f.lastIndexOf('.'), f.lastIndexOf('['));
      if (cut <= 0) {
        return Problem.at(source, 0, field, message);
      }
      f = f.substring(0, cut);
    }
  }
}
