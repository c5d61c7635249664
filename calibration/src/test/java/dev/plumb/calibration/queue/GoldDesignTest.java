package dev.plumb.calibration.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.core.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoldDesignTest {
  @TempDir Path dir;

  private Path write(String yaml) throws IOException {
    Path p = dir.resolve("review.yaml");
    Files.writeString(p, yaml);
    return p;
  }

  @Test
  void should_read_weight_classes_and_record_them_in_the_manifest() throws IOException {
    GoldDesign d = GoldDesign.read(write("type: stratified\nn: {llm_positive: 10, llm_negative: 20}\nweight_classes: 4\n"));
    assertThat(d.weightClasses()).isEqualTo(4);
    assertThat(d.toJson().get("weight_classes").asInt()).isEqualTo(4);
    GoldDesign srs = GoldDesign.read(write("type: srs\nn: 30\nweight_classes: 3\n"));
    assertThat(srs.weightClasses()).isEqualTo(3);
    GoldDesign plain = GoldDesign.read(write("type: srs\nn: 30\n"));
    assertThat(plain.weightClasses()).isEqualTo(1);
    assertThat(plain.toJson().has("weight_classes")).isFalse();
  }

  @Test
  void should_reject_a_bad_number_of_weight_classes_in_one_line() throws IOException {
    for (String bad : new String[] {"0", "2.5", "many", "21"}) {
      Path p = write("type: srs\nn: 30\nweight_classes: " + bad + "\n");
      String found = bad.equals("many") ? "\"many\"" : bad;
      assertThatThrownBy(() -> GoldDesign.read(p)).isInstanceOf(InputException.class)
          .hasMessage(p + ":3:17: weight_classes: expected a whole number from 1 (no weight classes) to 20, found "
              + found);
    }
  }

  @Test
  void should_name_weight_classes_among_the_options_of_an_unknown_one() throws IOException {
    Path p = write("type: srs\nn: 30\nweight_class: 3\n");
    assertThatThrownBy(() -> GoldDesign.read(p)).isInstanceOf(InputException.class)
        .hasMessage(p + ":3:15: weight_class: unknown option (options: type, stratify_by, n, allocation,"
            + " weight_classes, classes_by, overlap, honeypot_rate, rater_bar, seed, rounds, target_half_width, floor)");
  }

  @Test
  void should_read_classes_by_and_refuse_it_without_weight_classes() throws IOException {
    GoldDesign d = GoldDesign.read(write("type: stratified\nn: {llm_positive: 10, llm_negative: 20}\nweight_classes: 4\n"
        + "classes_by: weight_and_score\n"));
    assertThat(d.classesBy()).isEqualTo(GoldDesign.BY_WEIGHT_AND_SCORE);
    assertThat(d.toJson().get("classes_by").asText()).isEqualTo("weight_and_score");
    assertThat(GoldDesign.read(write("type: srs\nn: 30\nweight_classes: 3\n")).classesBy()).isEqualTo("weight");

    Path alone = write("type: srs\nn: 30\nclasses_by: weight_and_score\n");
    assertThatThrownBy(() -> GoldDesign.read(alone)).isInstanceOf(InputException.class)
        .hasMessage(alone + ":3:13: classes_by: only weight classes have a basis; set weight_classes: 2 or more");
    Path bad = write("type: srs\nn: 30\nweight_classes: 3\nclasses_by: score\n");
    assertThatThrownBy(() -> GoldDesign.read(bad)).isInstanceOf(InputException.class)
        .hasMessage(bad + ":4:13: classes_by: expected weight or weight_and_score, found \"score\"");
  }

  @Test
  void should_read_an_allocation_with_a_total_budget_and_refuse_it_where_it_cannot_apply() throws IOException {
    GoldDesign d = GoldDesign.read(write("type: stratified\nn: 900\nallocation: optimal\nweight_classes: 4\n"));
    assertThat(d.allocation()).isEqualTo(ReviewAllocation.OPTIMAL);
    assertThat(d.budget()).isEqualTo(900);
    assertThat(GoldDesign.read(write("type: srs\nn: 30\n")).allocation()).isEqualTo(ReviewAllocation.FIXED);
    Path unknown = write("type: stratified\nn: 900\nallocation: best\n");
    assertThatThrownBy(() -> GoldDesign.read(unknown)).isInstanceOf(InputException.class)
        .hasMessage(unknown + ":3:13: allocation: expected fixed, proportional, neyman or optimal, found \"best\"");
    Path srs = write("type: srs\nn: 30\nallocation: neyman\n");
    assertThatThrownBy(() -> GoldDesign.read(srs)).isInstanceOf(InputException.class)
        .hasMessage(srs + ":3:13: allocation: only a stratified review design has strata to allocate to");
    Path perStratum = write("type: stratified\nn: {llm_positive: 10, llm_negative: 20}\nallocation: neyman\n");
    assertThatThrownBy(() -> GoldDesign.read(perStratum)).isInstanceOf(InputException.class)
        .hasMessage(perStratum + ":2:4: n: with allocation: neyman, n is the total review budget (one number);"
            + " per-stratum sizes go with allocation: fixed");
  }
}
