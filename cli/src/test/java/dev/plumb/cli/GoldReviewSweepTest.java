package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.core.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a new user met trying the review and gold features from docs/review.md (issues 14, 15): a
 * vendor review exported with the policy library, simulated, imported, then calibrated as the docs
 * show it — without {@code --policies}. Each test is one finding, named after it.
 */
class GoldReviewSweepTest {
  static final Path REVIEW = ReviewFixture.ROOT.resolve("fixtures/review");

  @TempDir Path dir;
  ReviewFixture f;
  Path answers;

  @BeforeEach
  void vendorReview() throws IOException {
    f = new ReviewFixture(dir, 300);
    answers = dir.resolve("answers.csv");
    assertThat(f.vendorReview(answers).err()).isEmpty();
  }

  private Cli importAnswers(Path file, String gold) {
    return Cli.run("queue", "import", "--answers", file.toString(), "--queue", dir.resolve("queue").toString(),
        "--out", dir.resolve(gold).toString());
  }

  private Cli calibrate(String gold, String out) {
    return Cli.run("calibrate", "--sample", f.sample.toString(), "--labels", f.labels.toString(), "--gold",
        dir.resolve(gold).toString(), "--out", dir.resolve(out).toString());
  }

  @Test
  void should_show_the_confusion_matrix_in_the_policys_decision_order_when_calibrate_has_no_policy_library()
      throws IOException {
    // calibrate without --policies learned the decisions from the labels and listed them
    // alphabetically (borderline, safe, violating); the queue the gold came from has the policy's order
    assertThat(importAnswers(answers, "gold.jsonl").err()).isEmpty();
    Cli c = calibrate("gold.jsonl", "report");
    assertThat(c.err()).isEmpty();
    JsonNode report = Json.mapper().readTree(dir.resolve("report/report.json").toFile());
    for (JsonNode p : report.path("policies")) {
      JsonNode confusion = p.path("quality").path("weighted").path("confusion");
      assertThat(confusion.path("decisions").toString()).isEqualTo("[\"violating\",\"borderline\",\"safe\"]");
      assertThat(confusion.path("positive").toString()).isEqualTo("[true,false,false]");
    }
    assertThat(Files.readString(dir.resolve("report/report.md")))
        .contains("positive = violating; negative = borderline, safe")
        .contains("over violating, borderline, safe");
    // and the ordinal α reads the decisions in that order as the scale (it read safe between
    // borderline and violating): the same numbers as with the policy library given
    Cli withLibrary = Cli.run("calibrate", "--sample", f.sample.toString(), "--labels", f.labels.toString(), "--gold",
        dir.resolve("gold.jsonl").toString(), "--answers", dir.resolve("gold.answers.jsonl").toString(), "--policies",
        ReviewFixture.ROOT.resolve("policies").toString(), "--out", dir.resolve("report-library").toString());
    assertThat(withLibrary.err()).isEmpty();
    JsonNode library = Json.mapper().readTree(dir.resolve("report-library/report.json").toFile());
    for (int k = 0; k < 2; k++) {
      assertThat(report.path("policies").get(k).path("raters").path("agreement").path("krippendorff_alpha_ordinal").asDouble())
          .isEqualTo(library.path("policies").get(k).path("raters").path("agreement").path("krippendorff_alpha_ordinal")
              .asDouble());
      assertThat(report.path("policies").get(k).path("quality").toString())
          .isEqualTo(library.path("policies").get(k).path("quality").toString());
    }
  }

  private Path rewrite(String name, java.util.function.UnaryOperator<String> decision) throws IOException {
    List<String> lines = Files.readAllLines(answers);
    List<String> out = new ArrayList<>(List.of(lines.get(0)));
    int column = List.of(lines.get(0).split(",")).indexOf("decision");
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",", -1);
      cells[column] = decision.apply(cells[column]);
      cells[column + 1] = "";
      out.add(String.join(",", cells));
    }
    Path file = dir.resolve(name);
    Files.write(file, out);
    return file;
  }

  @Test
  void should_name_the_honeypots_when_they_flag_every_rater_instead_of_saying_no_item_has_an_answer()
      throws IOException {
    // a panel that disagrees with every honeypot (here: every answer flipped) is flagged whole; the
    // error model then said "no reviewed item has an answer", majority sent all 300 units to adjudication
    Path flipped = rewrite("flipped.csv", d -> d.equals("violating") ? "safe" : "violating");
    for (String consensus : List.of("error-model", "majority")) {
      Cli i = Cli.run("queue", "import", "--answers", flipped.toString(), "--queue", dir.resolve("queue").toString(),
          "--out", dir.resolve("flipped/gold.jsonl").toString(), "--consensus", consensus);
      assertThat(i.code()).isEqualTo(ExitCode.BAD_INPUT);
      assertThat(i.err().strip()).isEqualTo(flipped + ": every rater who answered a reviewed item was flagged on the"
          + " honeypots (r01, r02, r03, r04, r05; bar 0.8), so no answer counts; check the honeypots' known answers"
          + " (a wrong key flags everyone), or import with --keep-flagged");
      assertThat(dir.resolve("flipped")).doesNotExist();
    }
  }

  @Test
  void should_offer_raters_the_same_choice_order_for_every_policy_when_export_learns_the_decisions() throws IOException {
    // without --policies the choices came in the order the labels first showed them: a labels file
    // opening with safe and borderline calls gave raters "safe|borderline|violating" for one policy
    // and another order for the next
    List<String> labels = new ArrayList<>(Files.readAllLines(f.labels));
    labels.sort(java.util.Comparator.comparing((String l) -> !l.contains("\"decision\":\"safe\""))
        .thenComparing(l -> !l.contains("\"decision\":\"borderline\"")));
    Path shuffled = dir.resolve("labels-safe-first.jsonl");
    Files.write(shuffled, labels);
    Cli e = Cli.run("queue", "export", "--sample", f.sample.toString(), "--labels", shuffled.toString(),
        "--gold-design", REVIEW.resolve("review.yaml").toString(), "--out", dir.resolve("learned").toString(),
        "--raters", REVIEW.resolve("raters.txt").toString(), "--honeypots", REVIEW.resolve("honeypots.jsonl").toString(),
        "--seed", "5");
    assertThat(e.err()).isEmpty();
    JsonNode manifest = Json.mapper().readTree(dir.resolve("learned/queue.json").toFile());
    assertThat(manifest.path("policies")).hasSize(2).allSatisfy(p -> {
      List<String> ids = new ArrayList<>();
      p.path("decisions").forEach(d -> ids.add(d.path("id").asText() + "=" + d.path("positive").asBoolean()));
      assertThat(ids).containsExactly("violating=true", "borderline=false", "safe=false");
    });
    assertThat(Files.readString(dir.resolve("learned/queue.csv"))).contains(",violating|borderline|safe,")
        .doesNotContain("safe|borderline|violating");
  }

  @Test
  void should_say_kappa_is_undefined_not_unmeasured_when_every_rater_gives_every_unit_the_same_decision()
      throws IOException {
    // four raters per item, all answering "safe" everywhere: Fleiss' κ is 0/0 (chance agreement 1),
    // and the report said "no rater answers with at least two raters on a unit (pass --answers)"
    // although the answers were read from beside the gold and every item had several
    Path allSafe = rewrite("all-safe.csv", d -> "safe");
    assertThat(importAnswers(allSafe, "same/gold.jsonl").code()).isEqualTo(ExitCode.OK);
    Cli c = calibrate("same/gold.jsonl", "same/report");
    assertThat(c.code()).isEqualTo(ExitCode.OK);
    assertThat(c.out()).contains("self_harm@1: raters' Fleiss κ not defined: every answer on the overlapping units is the"
            + " same decision (percent agreement 1.000, chance agreement 1), so agreement cannot show whether the raters"
            + " tell violations apart; add honeypots with a violating known answer")
        .doesNotContain("rater agreement not measured");
  }
}
