package dev.plumb.calibration.review;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.core.InputException;
import dev.plumb.core.Jsonl;
import dev.plumb.core.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads human answers in JSON Lines (docs/formats.md "Answer"). */
public final class Answers {
  private Answers() {}

  /**
   * Every answer in {@code path}, in file order.
   *
   * @throws InputException naming the file, line and field: a missing or non-string field, a
   *     non-boolean {@code honeypot}, or a rater answering the same unit and policy twice
   */
  public static List<Answer> read(Path path) {
    String source = path.toString();
    List<Answer> out = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    Jsonl.forEach(path, line -> {
      JsonNode n = line.node();
      int no = line.number();
      String unit = Records.text(source, no, n, "unit");
      String policy = Records.text(source, no, n, "policy");
      String rater = Records.text(source, no, n, "rater");
      String decision = Records.text(source, no, n, "decision");
      String category = Records.optionalText(source, no, n, "category");
      String at = Records.optionalText(source, no, n, "at");
      boolean honeypot = Records.optionalBool(source, no, n, "honeypot");
      boolean excluded = Records.optionalBool(source, no, n, "excluded");
      Integer first = seen.putIfAbsent(rater + "\u0000" + unit + "\u0000" + policy, no);
      if (first != null) {
        throw new InputException(Problem.at(source, no, "rater", "rater \"" + rater + "\" answered unit \""
            + unit + "\" for policy " + policy + " twice (first on line " + first + ")"));
      }
      out.add(new Answer(unit, policy, rater, decision, category, at, honeypot, excluded));
    });
    return out;
  }
}
