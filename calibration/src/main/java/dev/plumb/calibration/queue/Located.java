package dev.plumb.calibration.queue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.calibration.sampling.Origin;
import dev.plumb.core.InputException;
import dev.plumb.core.LocatedYaml;
import dev.plumb.core.Problem;
import java.nio.file.Path;

/**
 * A JSON document read by {@link LocatedYaml} into a tree that remembers where every value
 * starts, so that a problem found while interpreting it can name the file, line, column and field
 * path ({@code n.llm_positive}, {@code [3].annotations[0].completed_by}).
 */
record Located(JsonNode root, Origin origin) {
  static Located json(Path path) {
    return of(LocatedYaml.readJson(path));
  }

  Problem problem(String field, String message) {
    return origin.problem(field, message);
  }

  InputException error(String field, String message) {
    return new InputException(problem(field, message));
  }

  private static Located of(LocatedYaml doc) {
    if (doc.isEmpty()) {
      throw new InputException(Problem.of(doc.source() + ": empty file"));
    }
    return new Located(doc.tree(), Origin.of(doc));
  }
}
