package dev.plumb.calibration.review;

import dev.plumb.core.InputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
    List<Answer> out = new ArrayList<>();
    Records.FirstLines seen = new Records.FirstLines();
    Records.forEach(path, (source, no, n) -> {
      String unit = Records.text(source, no, n, "unit");
      String policy = Records.text(source, no, n, "policy");
      String rater = Records.text(source, no, n, "rater");
      String decision = Records.text(source, no, n, "decision");
      String category = Records.optionalText(source, no, n, "category");
      String at = Records.optionalText(source, no, n, "at");
      boolean honeypot = Records.optionalBool(source, no, n, "honeypot");
      boolean excluded = Records.optionalBool(source, no, n, "excluded");
      seen.require(source, no, "rater", rater + "\u0000" + unit + "\u0000" + policy,
          () -> "rater \"" + rater + "\" answered unit \"" + unit + "\" for policy " + policy + " twice");
      out.add(new Answer(unit, policy, rater, decision, category, at, honeypot, excluded));
    });
    return out;
  }
}
