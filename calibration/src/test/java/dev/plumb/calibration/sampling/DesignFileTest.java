package dev.plumb.calibration.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DesignFileTest {

  private static String error(String yaml) {
    try {
      DesignFile.parse(yaml, "design.yaml");
    } catch (InputException e) {
      return e.getMessage();
    }
    throw new AssertionError("no error for " + yaml);
  }

  @Test
  void should_read_every_design_type_with_defaults_filled_in() {
    assertThat(Json.line(Frames.design("type: srs\nn: 10\n").toJson()))
        .isEqualTo("{\"type\":\"srs\",\"n\":10}");
    assertThat(Json.line(Frames.design("type: poisson\nn: 10\n").toJson()))
        .isEqualTo("{\"type\":\"poisson\",\"n\":10,\"size\":\"weight\"}");
    assertThat(Json.line(Frames.design("type: ppswr\nn: 10\nsize: weight * score(self_harm)\n").toJson()))
        .isEqualTo("{\"type\":\"ppswr\",\"n\":10,\"size\":\"weight * score(self_harm)\",\"floor\":0.05}");
    assertThat(Json.line(Frames.design("type: priority\nn: 10\nsize: weight*score(x)\nfloor: 0.2\n").toJson()))
        .isEqualTo("{\"type\":\"priority\",\"n\":10,\"size\":\"weight*score(x)\",\"floor\":0.2}");
    assertThat(Json.line(Frames.design(
        "type: stratified\nn: 100\npolicy: self_harm\nbins: [0, 0.1, 1]\nby: surface\nallocation: neyman\n").toJson()))
        .isEqualTo("{\"type\":\"stratified\",\"n\":100,\"policy\":\"self_harm\",\"bins\":[0.0,0.1,1.0],"
            + "\"labels\":[\"s1\",\"s2\"],\"by\":[\"surface\"],\"allocation\":\"neyman\",\"basis\":\"weight\","
            + "\"min_per_stratum\":2}");
    SamplingDesign.Stratified fixed = (SamplingDesign.Stratified) Frames.design(
        "type: stratified\nby: [surface]\nallocation: fixed\nsizes: {search: 3, home: 2}\n");
    assertThat(fixed.n()).isEqualTo(5);
    assertThat(fixed.sizes()).isEqualTo(Map.of("search", 3, "home", 2));
    assertThat(fixed.strata()).isEqualTo(new Stratification(Optional.empty(), List.of(), List.of(), List.of("surface")));
  }

  @Test
  void should_read_the_seed() {
    assertThat(DesignFile.parse("type: srs\nn: 3\nseed: -7\n", "d").seed()).hasValue(-7);
    assertThat(DesignFile.parse("type: srs\nn: 3\n", "d").seed()).isEmpty();
  }

  @Test
  void should_suggest_the_option_meant_by_a_typo() {
    assertThat(error("type: stratified\nn: 10\nby: surface\nalocation: neyman\n"))
        .isEqualTo("design.yaml:4:1: alocation: unknown option; did you mean \"allocation\"?");
    assertThat(error("type: srs\nn: 10\nsede: 3\n"))
        .isEqualTo("design.yaml:3:1: sede: unknown option; did you mean \"seed\"?");
    assertThat(error("type: ppswr\nn: 10\nalocation: neyman\n"))
        .isEqualTo("design.yaml:3:1: alocation: unknown option; did you mean \"allocation\"? (that is not an "
            + "option of a ppswr design either; its options: type, n, seed, size, floor)");
    assertThat(error("type: srs\nn: 10\ncolour: blue\n"))
        .isEqualTo("design.yaml:3:1: colour: unknown option (options of a srs design: type, n, seed)");
    assertThat(error("type: srs\nn: 10\nbins: [0, 1]\n"))
        .isEqualTo("design.yaml:3:1: bins: not an option of a srs design (its options: type, n, seed)");
    assertThat(error("type: strata\nn: 10\n"))
        .isEqualTo("design.yaml:1:7: type: expected one of srs, stratified, poisson, ppswr, priority, got \"strata\"");
    assertThat(error("type: stratifed\nn: 10\n"))
        .isEqualTo("design.yaml:1:7: type: expected one of srs, stratified, poisson, ppswr, priority, got \"stratifed\"; did you mean \"stratified\"?");
    assertThat(error("type: stratified\nn: 10\nby: s\nallocation: neymann\n"))
        .isEqualTo("design.yaml:4:13: allocation: expected one of proportional, neyman, fixed, got \"neymann\"; did you mean \"neyman\"?");
  }

  @Test
  void should_locate_every_bad_value() {
    assertThat(error("n: 10\n")).isEqualTo("design.yaml:1:1: type: missing; one of srs, stratified, poisson, ppswr, priority");
    assertThat(error("type: srs\n")).isEqualTo("design.yaml:1:1: n: missing; the sample size");
    assertThat(error("type: srs\nn: 0\n")).isEqualTo("design.yaml:2:4: n: expected a whole number from 1 to 2147483639, got 0");
    assertThat(error("type: srs\nn: 2.5\n")).isEqualTo("design.yaml:2:4: n: expected a whole number, got the number 2.5");
    assertThat(error("type: srs\nn: 2.0\n")).isEqualTo("design.yaml:2:4: n: expected a whole number, got the number 2.0");
    assertThat(error("type: srs\nn: ten\n")).isEqualTo("design.yaml:2:4: n: expected a whole number, got the string \"ten\"");
    assertThat(error("type: srs\nn: 1\nn: 2\n")).isEqualTo("design.yaml:3:1: n: written twice");
    assertThat(error("- type: srs\n")).isEqualTo("design.yaml:1:1: expected a mapping of design options (type:, n:, ...), got a list");
    assertThat(error("")).isEqualTo("design.yaml: empty design file; it needs at least type: and n:");
    assertThat(error("type: srs\nn: [1\n")).isEqualTo(
        "design.yaml:3:1: invalid YAML: while parsing a flow sequence: expected ',' or ']', but got <stream end>");
    assertThat(error("type: poisson\nn: 5\nfloor: 0\nsize: weight*score(a)\n"))
        .isEqualTo("design.yaml:3:8: floor: must be above 0 and at most 1, got 0");
    assertThat(error("type: poisson\nn: 5\nfloor: 0.1\n"))
        .isEqualTo("design.yaml:3:8: floor: has no effect: the size measure weight reads no score");
    assertThat(error("type: poisson\nn: 5\nsize: wieght * score(a)\n")).isEqualTo(
        "design.yaml:3:7: size: unknown name \"wieght\" at position 1; did you mean \"weight\"?");
    assertThat(error("type: stratified\nn: 5\nbins: [0, 0.5, 1]\n"))
        .isEqualTo("design.yaml:3:7: bins: score bins need policy: (whose score the bins cut)");
    assertThat(error("type: stratified\nn: 5\npolicy: p\nbins: [0, 0.5, 0.9]\n"))
        .isEqualTo("design.yaml:4:7: bins: must start at 0 and end at 1 so that every score falls in a bin");
    assertThat(error("type: stratified\nn: 5\npolicy: p\nbins: [0, 0.5, 0.5, 1]\n"))
        .isEqualTo("design.yaml:4:16: bins[2]: bin edges must increase: 0.5 then 0.5");
    assertThat(error("type: stratified\nn: 5\npolicy: p\nbins: [0, 0.5, 1]\nlabels: [low]\n"))
        .isEqualTo("design.yaml:5:9: labels: must name each of the 2 bins, found 1");
    assertThat(error("type: stratified\nn: 5\n"))
        .isEqualTo("design.yaml:1:7: type: a stratified design needs score bins (policy: and bins:) and/or by: attributes");
    assertThat(error("type: stratified\nn: 5\nby: surface\nallocation: neyman\n")).isEqualTo(
        "design.yaml:4:13: allocation: neyman allocation needs policy: (whose score's sqrt(s(1-s)) measures each stratum's variability)");
    assertThat(error("type: stratified\nn: 5\nby: surface\npolicy: p\n"))
        .isEqualTo("design.yaml:4:9: policy: is used by score bins and neyman allocation; this design has neither");
    assertThat(error("type: stratified\nby: s\nallocation: fixed\n"))
        .isEqualTo("design.yaml:3:13: allocation: fixed allocation needs sizes: (a sample size for each stratum id)");
    assertThat(error("type: stratified\nby: s\nallocation: fixed\nsizes: {a: 0}\n"))
        .isEqualTo("design.yaml:4:12: sizes.a: expected a whole number from 1 to 2147483647, got 0");
    assertThat(error("type: stratified\nn: 4\nby: s\nallocation: fixed\nsizes: {a: 2, b: 3}\n"))
        .isEqualTo("design.yaml:2:4: n: 4 does not match the sum of sizes (5); drop n: or fix it");
    assertThat(error("type: stratified\nn: 4\nby: s\nsizes: {a: 2}\n"))
        .isEqualTo("design.yaml:4:8: sizes: only used with allocation: fixed");
    assertThat(error("type: stratified\nby: s\nallocation: fixed\nbasis: units\nsizes: {a: 2}\n"))
        .isEqualTo("design.yaml:4:8: basis: only applies to proportional and neyman allocation");
    assertThat(error("type: stratified\nn: 3\nby: s\nbasis: views\n"))
        .isEqualTo("design.yaml:4:8: basis: expected one of weight, units, got \"views\"");
  }

  @Test
  void should_name_a_missing_file(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("nope.yaml");
    try {
      DesignFile.read(missing);
      throw new AssertionError();
    } catch (InputException e) {
      assertThat(e.getMessage()).isEqualTo(missing + ": file not found");
    }
    Path ok = dir.resolve("d.yaml");
    Files.writeString(ok, "type: srs\nn: 3\n");
    assertThat(DesignFile.read(ok).design()).isEqualTo(new SamplingDesign.Srs(3,
        DesignFile.read(ok).design().origin()));
  }
}
