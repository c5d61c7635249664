package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.calibration.scores.Recalibration;
import dev.plumb.calibration.scores.ScoreMap;
import dev.plumb.calibration.scores.ScoreQuality;
import dev.plumb.core.Json;
import dev.plumb.pipeline.TwoPhaseFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Label scores end to end: {@code plumb calibrate} reports them against gold and recalibrates them,
 * {@code plumb score --from-labels} turns them into the units' scores, {@code plumb sample} draws on
 * them (docs/calibration.md, "Label scores").
 */
class LabelScoresCommandTest {
  @TempDir Path dir;
  TwoPhaseFixture f;
  Path out;
  /** self_harm@3's label score per unit, as written into the labels. */
  final Map<String, Double> scores = new HashMap<>();

  @BeforeEach
  void fixture() throws IOException {
    f = TwoPhaseFixture.write(dir, 11, 20_000, TwoPhaseFixture.SELF_HARM, TwoPhaseFixture.HATE);
    out = dir.resolve("report");
    // an overconfident scorer of self_harm: high when the LLM says violating, low otherwise (seeded)
    SplittableRandom rnd = new SplittableRandom(5);
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(f.labels())) {
      ObjectNode l = (ObjectNode) Json.mapper().readTree(line);
      if (l.get("policy").asText().equals("self_harm@3")) {
        double s = Math.round((l.get("positive").asBoolean() ? 0.55 + 0.45 * rnd.nextDouble() : 0.45 * rnd.nextDouble()) * 1e4) / 1e4;
        l.put("score", s);
        scores.put(l.get("unit").asText(), s);
      }
      lines.add(Json.line(l));
    }
    Files.write(f.labels(), lines);
  }

  private Cli calibrate(String... extra) {
    List<String> args = new ArrayList<>(List.of("calibrate", "--sample", f.sample().toString(), "--labels",
        f.labels().toString(), "--gold", f.gold().toString(), "--out", out.toString()));
    args.addAll(List.of(extra));
    return Cli.run(args.toArray(String[]::new));
  }

  private static JsonNode policy(JsonNode report, String key) {
    for (JsonNode p : report.path("policies")) {
      if (p.path("policy").asText().equals(key)) {
        return p;
      }
    }
    throw new AssertionError("no policy " + key);
  }

  /** self_harm@3's reviewed units read from the files: {score, gold positive, 1/(π1 π2)}. */
  private double[][] reviewed() throws IOException {
    Map<String, Double> pi1 = new HashMap<>();
    for (String line : Files.readAllLines(f.sample())) {
      JsonNode u = Json.mapper().readTree(line);
      pi1.put(u.get("id").asText(), u.get("design").get("pi").asDouble());
    }
    List<double[]> rows = new ArrayList<>();
    for (String line : Files.readAllLines(f.gold())) {
      JsonNode g = Json.mapper().readTree(line);
      if (g.get("policy").asText().equals("self_harm@3")) {
        String u = g.get("unit").asText();
        rows.add(new double[] {scores.get(u), g.get("positive").asBoolean() ? 1 : 0,
            1 / (pi1.get(u) * g.get("phase2").get("pi").asDouble())});
      }
    }
    return rows.toArray(double[][]::new);
  }

  @Test
  void calibrate_reports_label_scores_as_ranking_scores_until_recalibrated() throws IOException {
    Cli r = calibrate();
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.OK);
    JsonNode report = Json.mapper().readTree(Files.readString(out.resolve("report.json")));
    JsonNode ls = policy(report, "self_harm@3").get("label_scores");
    assertThat(policy(report, "hate@2").get("label_scores").isNull()).isTrue();
    assertThat(ls.get("kind").asText()).isEqualTo("ranking");
    assertThat(ls.get("recalibration").isNull()).isTrue();

    // the same numbers as the library on the reviewed units joined by hand, weighted by 1/(π1 π2)
    double[][] rows = reviewed();
    double[] s = new double[rows.length];
    boolean[] y = new boolean[rows.length];
    double[] w = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      s[i] = rows[i][0];
      y[i] = rows[i][1] == 1;
      w[i] = rows[i][2];
    }
    ScoreQuality q = ScoreQuality.assess(s, y, w, 0.95, 10);
    assertThat(ls.get("units").asInt()).isEqualTo(rows.length);
    assertThat(ls.get("scored").asInt()).isEqualTo(scores.size());
    // (sums in another order: equal to rounding)
    assertThat(ls.get("auc").asDouble()).isCloseTo(q.auc(), within(1e-12));
    assertThat(ls.get("brier").asDouble()).isCloseTo(q.brier(), within(1e-12));
    assertThat(ls.get("reliability").get("ece").asDouble()).isCloseTo(q.reliability().ece(), within(1e-12));
    assertThat(ls.get("auc_interval").get("method").asText()).isEqualTo("delong");
    assertThat(q.auc()).isGreaterThan(0.7);

    assertThat(r.out()).contains("self_harm@3: label scores (ranking scores, not probabilities): ROC-AUC ");
    assertThat(Files.readString(out.resolve("report.md"))).contains("The scores are ranking scores");
    assertThat(Files.readString(out.resolve("report.html"))).contains("Label scores against gold");
    assertThat(out.resolve(ScoreMap.fileName("self_harm@3"))).doesNotExist();
  }

  @Test
  void recalibrated_scores_become_the_units_scores_and_a_sampling_design_draws_on_them() throws IOException {
    Cli r = calibrate("--recalibrate-scores", "isotonic");
    assertThat(r.code()).as(r.err()).isEqualTo(ExitCode.OK);
    Path mapFile = out.resolve("score-map.self_harm@3.json");
    assertThat(r.out()).contains("; recalibrated (isotonic): use score-map.self_harm@3.json for probabilities");
    JsonNode report = Json.mapper().readTree(Files.readString(out.resolve("report.json")));
    assertThat(policy(report, "self_harm@3").get("label_scores").get("kind").asText()).isEqualTo("probability");

    // the map is the isotonic fit on the reviewed units with their design weights
    double[][] rows = reviewed();
    double[] s = new double[rows.length];
    double[] y = new double[rows.length];
    double[] w = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      s[i] = rows[i][0];
      y[i] = rows[i][1];
      w[i] = rows[i][2];
    }
    ScoreMap expected = Recalibration.ISOTONIC.fitted("self_harm@3", s, y, w);
    ScoreMap map = ScoreMap.read(mapFile);
    assertThat(map.policy()).isEqualTo("self_harm@3");
    assertThat(map.scores()).containsExactly(expected.scores(), within(1e-12));
    assertThat(map.probabilities()).containsExactly(expected.probabilities(), within(1e-12));
    assertThat(Json.mapper().readTree(Files.readString(mapFile)).get("fitted_on").get("units").asInt()).isEqualTo(rows.length);

    // the labeled units as a frame (a team that labels its whole frame with an open model)
    List<String> frameLines = new ArrayList<>();
    for (String line : Files.readAllLines(f.sample())) {
      ObjectNode u = (ObjectNode) Json.mapper().readTree(line);
      u.remove("design");
      frameLines.add(Json.line(u));
    }
    Path frame = Files.write(dir.resolve("units.jsonl"), frameLines);
    Path scored = dir.resolve("units.scored.jsonl");
    Cli sc = Cli.run("score", "--frame", frame.toString(), "--out", scored.toString(), "--from-labels",
        f.labels().toString(), "--calibration", mapFile.toString());
    assertThat(sc.code()).as(sc.err()).isEqualTo(ExitCode.OK);
    assertThat(sc.out().lines().toList()).containsExactly(
        "scores.self_harm: self_harm@3's label scores, recalibrated (isotonic)",
        "scored " + String.format(java.util.Locale.ROOT, "%,d", scores.size()) + " units from " + f.labels() + " -> " + scored);
    List<String> before = Files.readAllLines(frame);
    List<String> after = Files.readAllLines(scored);
    assertThat(after).hasSize(before.size());
    for (int i = 0; i < before.size(); i++) {
      ObjectNode a = (ObjectNode) Json.mapper().readTree(after.get(i));
      String unit = a.get("id").asText();
      assertThat(a.remove("scores").get("self_harm").asDouble()).isCloseTo(map.apply(scores.get(unit)), within(1e-5));
      assertThat(a).isEqualTo(Json.mapper().readTree(before.get(i)));
    }

    // score(self_harm) in a size measure
    Path design = Files.writeString(dir.resolve("design.yaml"), "type: priority\nn: 50\nsize: weight * score(self_harm)\n");
    Cli sample = Cli.run("sample", "--frame", scored.toString(), "--design", design.toString(), "--out",
        dir.resolve("resample.jsonl").toString(), "--seed", "3");
    assertThat(sample.code()).as(sample.err()).isEqualTo(ExitCode.OK);
    assertThat(Files.readAllLines(dir.resolve("resample.jsonl"))).hasSize(50);
  }

  @Test
  void label_scores_merged_into_the_sample_drive_the_reviews_weight_and_score_classes() throws IOException {
    Path scored = dir.resolve("sample.scored.jsonl");
    Cli sc = Cli.run("score", "--frame", f.sample().toString(), "--out", scored.toString(), "--from-labels",
        f.labels().toString());
    assertThat(sc.code()).as(sc.err()).isEqualTo(ExitCode.OK);
    // a sample stays a sample: its manifest goes beside the scored copy
    assertThat(sc.out().lines().toList()).containsExactly(
        "scores.self_harm: self_harm@3's label scores, as given (ranking scores, not calibrated probabilities)",
        "scored " + String.format(java.util.Locale.ROOT, "%,d", scores.size()) + " units from " + f.labels() + " -> " + scored,
        "sample manifest copied to " + dir.resolve("sample.scored.json"));
    assertThat(dir.resolve("sample.scored.json")).hasSameTextualContentAs(dir.resolve("sample.json"));
    Path design = Files.writeString(dir.resolve("review.yaml"), "type: stratified\nstratify_by: self_harm\n"
        + "n:\n  llm_positive: 20\n  llm_negative: 40\nweight_classes: 3\nclasses_by: weight_and_score\nseed: 7\n");
    Path queue = dir.resolve("queue");
    Cli q = Cli.run("queue", "export", "--sample", scored.toString(), "--labels", f.labels().toString(),
        "--gold-design", design.toString(), "--out", queue.toString());
    assertThat(q.code()).as(q.out() + q.err()).isEqualTo(ExitCode.OK);
    JsonNode manifest = Json.mapper().readTree(Files.readString(queue.resolve("queue.json")));
    assertThat(manifest.get("design").get("classes_by").asText()).isEqualTo("weight_and_score");
  }

  private void assertBadInput(Cli r, String line, Path notWritten) {
    assertThat(r.code()).as(r.out() + r.err()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err().strip()).isEqualTo(line);
    assertThat(notWritten).doesNotExist();
  }

  @Test
  void a_score_out_of_range_or_on_a_failed_label_is_one_located_line() throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(f.labels()));
    int k = 0;
    while (!lines.get(k).contains("\"score\"")) {
      k++;
    }
    String good = lines.get(k);
    lines.set(k, good.replaceFirst("\"score\":[0-9.E-]+", "\"score\":1.2"));
    Files.write(f.labels(), lines);
    assertBadInput(calibrate(), f.labels() + ":" + (k + 1) + ": score: expected a number in [0, 1], found 1.2",
        out.resolve("report.json"));
    Path scored = dir.resolve("scored.jsonl");
    assertBadInput(Cli.run("score", "--frame", f.sample().toString(), "--out", scored.toString(), "--from-labels",
        f.labels().toString()), f.labels() + ":" + (k + 1) + ": score: expected a number in [0, 1], found 1.2", scored);

    lines.set(k, good.replace("\"status\":\"ok\"", "\"status\":\"failed\""));
    Files.write(f.labels(), lines);
    assertBadInput(Cli.run("score", "--frame", f.sample().toString(), "--out", scored.toString(), "--from-labels",
        f.labels().toString()), f.labels() + ":" + (k + 1) + ": score: only an ok label carries a score (this one is failed)",
        scored);
  }

  @Test
  void a_map_for_another_policy_or_a_unit_without_a_score_is_one_located_line() throws IOException {
    assertThat(calibrate("--recalibrate-scores", "platt").code()).isEqualTo(ExitCode.OK);
    Path mapFile = out.resolve("score-map.self_harm@3.json");
    assertThat(ScoreMap.read(mapFile).method()).isEqualTo(Recalibration.PLATT);
    Path other = Files.writeString(dir.resolve("other.json"), Files.readString(mapFile).replace("self_harm@3", "self_harm@2"));
    Path scored = dir.resolve("scored.jsonl");
    assertBadInput(Cli.run("score", "--frame", f.sample().toString(), "--out", scored.toString(), "--from-labels",
        f.labels().toString(), "--calibration", other.toString()),
        other + ":3: policy: the map is for self_harm@2, but the scores merged from " + f.labels() + " are self_harm@3",
        scored);

    // a frame unit the labels do not score
    Path frame = Files.writeString(dir.resolve("units.jsonl"), Files.readString(f.sample())
        + "{\"id\":\"x-1\",\"components\":[{\"id\":\"t\",\"kind\":\"text\",\"text\":\"x\"}]}\n");
    int line = Files.readAllLines(frame).size();
    assertBadInput(Cli.run("score", "--frame", frame.toString(), "--out", scored.toString(), "--from-labels",
        f.labels().toString()), frame + ":" + line + ": scores.self_harm: unit \"x-1\" has no ok label with a score for"
        + " self_harm@3 in " + f.labels() + "; every unit needs one (label the frame, or merge into the labeled sample)",
        scored);

    assertBadInput(calibrate("--recalibrate-scores", "spline"),
        "--recalibrate-scores: expected isotonic or platt, found \"spline\"", dir.resolve("never"));
  }
}
