package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.core.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EstimateCommandTest {
  @TempDir Path dir;
  Path sample;
  Path labels;

  /**
   * Two strata (N = 100 and 20, 4 units sampled in each); u8's self_harm label failed.
   *
   * <p>R (survey 4.1.1) for the self_harm row over the 7 labeled units (u8 outside the domain):
   * <pre>
   * df <- data.frame(h = rep(c("s1", "s2"), each = 4), N = rep(c(100, 20), each = 4),
   *   m = c(10, 20, 5, 15, 8, 2, 4, 6), y = c(1, 0, 0, 0, 1, 1, 0, 0), lab = c(rep(TRUE, 7), FALSE),
   *   surface = c("search", "home", "search", "home", "search", "home", "search", "home"))
   * d <- svydesign(ids = ~1, strata = ~h, fpc = ~N, weights = ~I(m * N / 4), data = df)
   * svyciprop(~y, subset(d, lab), method = "beta")
   * #   0.22727273 (0.00306291, 0.8097); SE(svymean(~y, subset(d, lab))) = 0.207541
   * svyby(~y, ~surface, subset(d, lab), svyciprop, method = "beta", vartype = "ci")
   * #   home 0.0112994 (1.42694e-17, 0.351568); search 0.6666667 (8.77442e-03, 0.999923)
   * svyby(~y, ~surface, subset(d, lab), svymean)   # SEs: home 0.0118918, search 0.3097656
   * </pre>
   */
  @BeforeEach
  void files() throws IOException {
    sample = dir.resolve("sample.jsonl");
    labels = dir.resolve("labels.jsonl");
    StringBuilder s = new StringBuilder();
    StringBuilder l = new StringBuilder();
    double[] m = {10, 20, 5, 15, 8, 2, 4, 6};
    int[] y = {1, 0, 0, 0, 1, 1, 0, 0};
    for (int i = 0; i < 8; i++) {
      String h = i < 4 ? "s1" : "s2";
      double pi = i < 4 ? 0.04 : 0.2;
      String surface = i % 2 == 0 ? "search" : "home";
      s.append("{\"id\":\"u").append(i + 1).append("\",\"weight\":").append(m[i])
          .append(",\"attributes\":{\"surface\":\"").append(surface).append("\"},")
          .append("\"components\":[{\"id\":\"q\",\"kind\":\"query\",\"text\":\"...\"}],")
          .append("\"design\":{\"stratum\":\"").append(h).append("\",\"pi\":").append(pi).append("}}\n");
      if (i < 7) {
        l.append(label(i + 1, "self_harm@3", y[i] == 1));
      } else {
        l.append("{\"unit\":\"u8\",\"policy\":\"self_harm@3\",\"status\":\"failed\",\"error\":\"timeout\"}\n");
      }
      l.append(label(i + 1, "spam@1", false));
    }
    Files.writeString(sample, s);
    Files.writeString(labels, l);
    Files.writeString(dir.resolve("sample.json"), """
        {"format":"plumb.sample/1","design":{"type":"stratified"},"seed":7,
         "strata":[{"id":"s1","units":100,"weight":1200,"n":4},{"id":"s2","units":20,"weight":100,"n":4}],
         "n":8}
        """);
  }

  private static String label(int unit, String policy, boolean positive) {
    return "{\"unit\":\"u" + unit + "\",\"policy\":\"" + policy + "\",\"decision\":\"" + (positive ? "violating" : "safe")
        + "\",\"positive\":" + positive + ",\"status\":\"ok\"}\n";
  }

  @Test
  void should_print_a_table_per_policy_and_domain_with_unlabeled_units_reported() {
    Cli r = Cli.run("estimate", "--sample", sample.toString(), "--labels", labels.toString(), "--by", "surface");
    assertThat(r.err()).isEmpty();
    assertThat(r.code()).isEqualTo(ExitCode.OK);
    assertThat(r.out().replace(dir.toString(), "DIR")).isEqualTo("""
        DIR/sample.jsonl: stratified design, 8 units in 2 strata; labels DIR/labels.jsonl
        Exposure-weighted prevalence, 95% korn-graubard intervals

        policy       domain          units  labeled  positives  prevalence       SE  95% interval            n_eff  deff
        self_harm@3  all                 8        7          3     22.727%  20.754%  [0.306%, 80.970%]         4.1  1.72
        self_harm@3  surface=home        4        3          1      1.130%   1.189%  [0.000%, 35.157%]        79.0  0.04
        self_harm@3  surface=search      4        4          2     66.667%  30.977%  [0.877%, 99.992%]         2.3  1.73
        spam@1       all                 8        8          0      0.000%   0.000%  [0, 53.950%] one-sided    3.9  2.07
        spam@1       surface=home        4        4          0      0.000%   0.000%  [0, 75.372%] one-sided    2.1  1.87
        spam@1       surface=search      4        4          0      0.000%   0.000%  [0, 71.875%] one-sided    2.4  1.69

        Unlabeled for self_harm@3: 1 of 8 units (1 failed), e.g. u8

        Note: Unlabeled units (no ok label for a policy) are excluded: each estimate is for the labeled units, and stands for all units only if labels are missing independently of whether a unit violates (missing at random).
        Note: Where no labeled unit was positive (or every one was), the interval is a one-sided 95% Clopper-Pearson bound on Kish's effective sample size.
        """);
  }

  @Test
  void should_print_json_with_the_bootstrap_when_asked() throws IOException {
    Cli r = Cli.run("estimate", "--sample", sample.toString(), "--labels", labels.toString(), "--bootstrap", "300", "--json");
    assertThat(r.code()).isEqualTo(ExitCode.OK);
    JsonNode json = Json.mapper().readTree(r.out());
    assertThat(json.path("format").asText()).isEqualTo("plumb.estimate/1");
    assertThat(json.path("interval").path("method").asText()).isEqualTo("bootstrap");
    assertThat(json.path("interval").path("replicates").asInt()).isEqualTo(300);
    JsonNode first = json.path("estimates").get(0);
    assertThat(first.path("policy").asText()).isEqualTo("self_harm@3");
    assertThat(first.path("prevalence").asDouble()).isCloseTo(0.22727272727272727, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(first.path("lower").asDouble()).isLessThan(first.path("prevalence").asDouble());
    assertThat(first.path("interval_method").asText()).isEqualTo("bootstrap");
    assertThat(json.path("unlabeled").get(0).path("examples").get(0).asText()).isEqualTo("u8");
    Cli again = Cli.run("estimate", "--sample", sample.toString(), "--labels", labels.toString(), "--bootstrap", "300", "--json");
    assertThat(again.out()).isEqualTo(r.out());
  }

  @Test
  void should_reject_labels_for_units_outside_the_sample() throws IOException {
    Files.writeString(labels, label(1, "self_harm@3", true) + label(99, "self_harm@3", false));
    Cli r = Cli.run("estimate", "--sample", sample.toString(), "--labels", labels.toString());
    assertThat(r.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err()).isEqualTo(labels + ":2: unit: unit \"u99\" is not in the sample " + sample
        + " (labels must come from this sample's units)\n");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void should_reject_conflicting_ok_labels() throws IOException {
    Files.writeString(labels, label(1, "self_harm@3", true) + label(1, "self_harm@3", false));
    Cli r = Cli.run("estimate", "--sample", sample.toString(), "--labels", labels.toString());
    assertThat(r.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err()).isEqualTo(labels + ":2: positive: conflicts with the ok label on line 1 for unit \"u1\" and"
        + " policy \"self_harm@3\" (keep one label per unit and policy, e.g. one model and prompt per file)\n");
  }

  @Test
  void should_name_the_missing_manifest() throws IOException {
    Files.delete(dir.resolve("sample.json"));
    Cli r = Cli.run("estimate", "--sample", sample.toString(), "--labels", labels.toString());
    assertThat(r.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err()).isEqualTo(dir.resolve("sample.json")
        + ": file not found (the sample manifest written beside sample.jsonl)\n");
  }

  @Test
  void should_name_a_bad_inclusion_probability() throws IOException {
    Files.writeString(sample, Files.readString(sample).replaceFirst("\"pi\":0.04", "\"pi\":0"));
    Cli r = Cli.run("estimate", "--sample", sample.toString(), "--labels", labels.toString());
    assertThat(r.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err()).isEqualTo(sample + ":1: design.pi: must be a number in (0, 1], found 0\n");
  }

  @Test
  void should_reject_a_sample_that_does_not_match_its_manifest() throws IOException {
    Files.writeString(sample, Files.readString(sample).lines().skip(1).map(x -> x + "\n").reduce("", String::concat));
    Files.writeString(labels, label(2, "self_harm@3", true));
    Cli r = Cli.run("estimate", "--sample", sample.toString(), "--labels", labels.toString());
    assertThat(r.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err()).isEqualTo(sample + ": stratum \"s1\": the manifest says n = 4 but the sample has 3 units\n");
  }

  @Test
  void should_reject_bad_options_with_one_line() {
    Cli r = Cli.run("estimate", "--sample", sample.toString(), "--labels", labels.toString(), "--interval", "exact");
    assertThat(r.code()).isEqualTo(ExitCode.BAD_INPUT);
    assertThat(r.err()).isEqualTo("--interval: unknown interval method \"exact\" (expected one of korn-graubard,"
        + " logit, wilson, wald, bootstrap, kg-gamma)\n");
    r = Cli.run("estimate", "--sample", sample.toString(), "--labels", labels.toString(), "--interval", "wald", "--bootstrap", "10");
    assertThat(r.err()).isEqualTo("--bootstrap applies to the bootstrap interval, but --interval is wald\n");
    r = Cli.run("estimate", "--sample", sample.toString(), "--labels", labels.toString(), "--by", "country");
    assertThat(r.err()).isEqualTo(sample + ": no unit has the attribute \"country\" (--by country)\n");
    r = Cli.run("estimate", "--sample", sample.toString(), "--labels", labels.toString(), "--confidence", "95");
    // one wording for every command that takes --confidence (ConfidenceOption)
    assertThat(r.err()).isEqualTo("--confidence: must be between 0 and 1 (exclusive), found 95\n");
    assertThat(r.code()).isEqualTo(ExitCode.BAD_INPUT);
  }
}
