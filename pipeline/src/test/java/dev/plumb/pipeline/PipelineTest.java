package dev.plumb.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plumb.core.AtomicOutput;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stage engine on its own: fingerprints, the manifest, and what a rerun redoes. */
class PipelineTest {
  @TempDir Path dir;
  final List<String> ran = new ArrayList<>();
  String build = "plumb test (commit 1)";

  /** A stage that writes {@code out} from {@code in} (or from nothing) with {@code f}. */
  Stage stage(String name, Path in, Path out, Map<String, Object> config, Function<String, String> f) {
    return new Stage(name) {
      @Override
      void describe(Key key) {
        config.forEach(key::config);
        if (in != null) {
          key.file("in", in);
        }
      }

      @Override
      List<Path> outputs() {
        return List.of(out);
      }

      @Override
      String run(Context context) {
        ran.add(name);
        try {
          AtomicOutput.write(out, f.apply(in == null ? "" : Files.readString(in)));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        return "wrote " + out.getFileName();
      }
    };
  }

  Pipeline.Result run(List<Stage> stages) {
    ran.clear();
    return new Pipeline(dir, new Progress(new PrintWriter(new StringWriter()), false), build).run(stages);
  }

  List<Stage> chain(int n, boolean failSecond) {
    Path a = dir.resolve("a.txt");
    Path b = dir.resolve("b.txt");
    Path c = dir.resolve("c.txt");
    return List.of(
        stage("a", null, a, Map.of("n", n), s -> "a" + n),
        stage("b", a, b, Map.of(), s -> {
          if (failSecond) {
            throw new IllegalStateException("killed");
          }
          return s.startsWith("a") ? "b" : s;
        }),
        stage("c", b, c, Map.of(), s -> s + "c"));
  }

  @Test
  void a_rerun_with_nothing_changed_runs_nothing() {
    run(chain(1, false));
    assertThat(ran).containsExactly("a", "b", "c");
    Pipeline.Result r = run(chain(1, false));
    assertThat(ran).isEmpty();
    assertThat(r.outcomes()).extracting(Pipeline.Outcome::status).containsOnly(Pipeline.Status.SKIPPED);
  }

  @Test
  void another_plumb_build_redoes_every_stage() {
    run(chain(1, false));
    build = "plumb test (commit 2)";
    run(chain(1, false));
    // same inputs and settings, but another build may compute them differently
    assertThat(ran).containsExactly("a", "b", "c");
  }

  @Test
  void a_changed_setting_redoes_its_stage_and_stops_where_the_output_comes_out_the_same() {
    run(chain(1, false));
    run(chain(2, false));
    // a's output changed ("a2"), b ran again but wrote the same "b", so c is skipped
    assertThat(ran).containsExactly("a", "b");
  }

  @Test
  void a_stage_that_failed_is_redone_and_the_stages_before_it_are_not() {
    run(chain(1, false));
    assertThatThrownBy(() -> run(chain(2, true))).hasMessage("killed");
    assertThat(ran).containsExactly("a", "b");
    // b's record was forgotten when it started again: the next run redoes it even though a is unchanged now
    run(chain(2, false));
    assertThat(ran).containsExactly("b");
  }

  @Test
  void an_output_edited_by_hand_is_made_again() throws IOException {
    run(chain(1, false));
    Files.writeString(dir.resolve("b.txt"), "tampered");
    run(chain(1, false));
    assertThat(ran).containsExactly("b");
    assertThat(Files.readString(dir.resolve("c.txt"))).isEqualTo("bc");
  }

  @Test
  void a_damaged_manifest_costs_a_full_rerun_not_an_error() throws IOException {
    run(chain(1, false));
    Files.writeString(dir.resolve(Manifest.FILE), "{not json");
    run(chain(1, false));
    assertThat(ran).containsExactly("a", "b", "c");
  }

  @Test
  void a_paused_stage_stops_the_run_and_has_no_record() {
    Stage waiting = new Stage("wait") {
      @Override
      void describe(Key key) {}

      @Override
      List<Path> outputs() {
        return List.of();
      }

      @Override
      String run(Context context) {
        ran.add("wait");
        throw new Stage.Paused("waiting for answers");
      }
    };
    List<Stage> stages = new ArrayList<>(chain(1, false));
    stages.add(1, waiting);
    Pipeline.Result r = run(stages);
    assertThat(r.paused()).isEqualTo("waiting for answers");
    assertThat(ran).containsExactly("a", "wait");
    run(stages);
    assertThat(ran).containsExactly("wait");
  }

  /** A stage that appends to its output, as the labeler resumes: what it finds there is kept. */
  Stage appending(Path in, Path out) {
    return new Stage("append") {
      @Override
      void describe(Key key) {
        key.file("in", in);
      }

      @Override
      boolean resumes() {
        return true;
      }

      @Override
      List<Path> outputs() {
        return List.of(out);
      }

      @Override
      String run(Context context) {
        try {
          String before = Files.exists(out) ? Files.readString(out) : "";
          Files.writeString(out, before + Files.readString(in) + "\n");
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        return "appended";
      }
    };
  }

  @Test
  void should_not_resume_from_the_outputs_of_a_finished_run_with_other_inputs() throws IOException {
    Path in = dir.resolve("sample.txt");
    Path out = dir.resolve("labels.txt");
    Files.writeString(in, "unit-1");
    run(List.of(appending(in, out)));
    Files.writeString(in, "unit-2");
    run(List.of(appending(in, out)));
    assertThat(Files.readString(out)).isEqualTo("unit-2\n");
  }

  @Test
  void should_resume_from_the_outputs_of_an_interrupted_run() throws IOException {
    Path in = dir.resolve("sample.txt");
    Path out = dir.resolve("labels.txt");
    Files.writeString(in, "unit-1");
    Files.writeString(out, "partial\n"); // an earlier attempt died before the stage was recorded
    run(List.of(appending(in, out)));
    assertThat(Files.readString(out)).isEqualTo("partial\nunit-1\n");
  }

  @Test
  void should_keep_the_previous_output_when_a_replacing_stage_dies_before_finishing() throws IOException {
    run(chain(1, false));
    assertThatThrownBy(() -> run(chain(2, true))).hasMessage("killed");
    // b died (as a kill -9 during the report stage would): its last complete output is still there
    assertThat(Files.readString(dir.resolve("b.txt"))).isEqualTo("b");
    run(chain(2, false));
    assertThat(ran).containsExactly("b");
  }

  static String label(String unit, String decision, int latency) {
    return "{\"unit\":\"" + unit + "\",\"policy\":\"self_harm@2\",\"decision\":\"" + decision + "\",\"positive\":"
        + decision.equals("violating") + ",\"category\":null,\"confidence\":0.9,\"rationale\":\"r\",\"status\":\"ok\","
        + "\"model\":\"m\",\"backend\":\"local\",\"prompt\":\"sha256:p\",\"attempts\":1,\"latency_ms\":" + latency + "}";
  }

  /** A labeler whose label file differs byte for byte on every run (arrival order, latencies). */
  Stage labeler(Path labels, String u2decision, int run) {
    return new Stage("label", labels) {
      @Override
      void describe(Key key) {
        key.config("run", run); // another run of it, e.g. after another plumb build
      }

      @Override
      String run(Context context) {
        ran.add("label");
        List<String> lines = new ArrayList<>(List.of(label("u1", "safe", 3 + run), label("u2", u2decision, 5 * run)));
        if (run % 2 == 0) {
          java.util.Collections.reverse(lines);
        }
        AtomicOutput.write(labels, String.join("\n", lines) + "\n");
        return "labeled";
      }
    };
  }

  Stage readsLabels(Path labels, Path out) {
    return new Stage("queue", out) {
      @Override
      void describe(Key key) {
        key.labels("labels", labels);
      }

      @Override
      String run(Context context) {
        ran.add("queue");
        AtomicOutput.write(out, "queue\n");
        return "queued";
      }
    };
  }

  @Test
  void should_skip_the_stages_after_label_when_a_relabeling_gives_the_same_answers() throws IOException {
    Path labels = dir.resolve("labels.jsonl");
    Path queue = dir.resolve("queue.csv");
    run(List.of(labeler(labels, "safe", 1), readsLabels(labels, queue)));
    String first = Files.readString(labels);
    run(List.of(labeler(labels, "safe", 2), readsLabels(labels, queue)));
    assertThat(Files.readString(labels)).isNotEqualTo(first); // other order, other latencies
    assertThat(ran).containsExactly("label");
    // another answer is another content: the reader reruns
    run(List.of(labeler(labels, "violating", 3), readsLabels(labels, queue)));
    assertThat(ran).containsExactly("label", "queue");
  }

  @Test
  void should_drop_the_record_and_outputs_of_a_stage_no_longer_needed_and_redo_it_when_needed_again() throws IOException {
    Path a = dir.resolve("a.txt");
    Path c = dir.resolve("c.txt");
    boolean[] needed = {true};
    Stage later = new Stage("c", c) {
      @Override
      void describe(Key key) {
        key.file("in", a);
      }

      @Override
      String notNeeded() {
        return needed[0] ? null : "round 1 met the target";
      }

      @Override
      String run(Context context) {
        ran.add("c");
        AtomicOutput.write(c, "c");
        return "wrote c";
      }
    };
    List<Stage> stages = List.of(stage("a", null, a, Map.of(), s -> "a"), later);
    run(stages);
    assertThat(ran).containsExactly("a", "c");
    needed[0] = false;
    Pipeline.Result r = run(stages);
    assertThat(ran).isEmpty();
    assertThat(c).doesNotExist();
    assertThat(r.outcomes()).extracting(Pipeline.Outcome::stage).containsExactly("a"); // neither ran nor skipped as unchanged
    assertThat(Manifest.load(dir).get("c")).isNull();
    needed[0] = true;
    run(stages);
    assertThat(ran).containsExactly("c");
  }
}
