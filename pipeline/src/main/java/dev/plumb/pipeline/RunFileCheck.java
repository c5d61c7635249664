package dev.plumb.pipeline;

import dev.plumb.calibration.queue.GoldDesign;
import dev.plumb.calibration.queue.Panel;
import dev.plumb.calibration.report.SignOffRules;
import dev.plumb.calibration.sampling.DesignFile;
import dev.plumb.core.InputException;
import dev.plumb.core.LocatedYaml;
import dev.plumb.core.LocatedYaml.MapNode;
import dev.plumb.core.LocatedYaml.Node;
import dev.plumb.core.LocatedYaml.Scalar;
import dev.plumb.core.LocatedYaml.SeqNode;
import dev.plumb.core.Problem;
import dev.plumb.core.YamlFields;
import dev.plumb.labeler.policy.PolicyLibrary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * What {@link RunFile#read} checks beyond the run file's own fields, so that a run with a bad
 * configuration stops before any stage runs (docs/run.md, "The run file"): every configuration the
 * run file names or holds inline is read by its owner's reader (the sampling design, the review
 * design, the rater panel, the sign-off thresholds), the policy library is loaded and each
 * {@code policies.use} entry resolved, and the input files the run does not write itself must exist.
 * Each problem is added to the run file's list, at its place in the run file when the configuration
 * is inline. A reader that stops at its first problem contributes that one.
 */
final class RunFileCheck {
  private RunFileCheck() {}

  static void check(RunFile run, YamlFields top, Path base, List<Problem> problems) {
    Consumer<Problem> sink = problems::add;
    // in the order of the run file's sections: policies, sampling, review, signoff
    policies(run, section(top, "policies"), problems);
    if (run.sampling() != null) {
      sub(run.sampling().design(), DesignFile::read, problems);
    }
    int[] rounds = {0};
    if (run.review() != null) {
      sub(run.review().design(), file -> {
        GoldDesign d = GoldDesign.read(file);
        rounds[0] = d.rounds().count();
        return roundsNeeds(d, file, run.review().seed());
      }, problems);
      if (run.review().answers() instanceof RunFile.Simulate s) {
        sub(s.panel(), Panel::read, problems);
      }
    }
    if (run.signoff() != null) {
      sub(run.signoff(), SignOffRules::read, problems);
    }
    YamlFields in = section(top, "input");
    if (in != null) {
      for (String key : List.of("units", "units_config", "truth", "truth_labels")) {
        exists(in, key, base, run, sink);
      }
    }
    YamlFields rv = section(top, "review");
    if (rv != null) {
      for (String key : List.of("raters", "honeypots", "adjudicated")) {
        exists(rv, key, base, run, sink);
      }
      if (rounds[0] > 0) {
        rounds(rv, rounds[0]);
      }
    }
    YamlFields lb = section(top, "labeler");
    if (lb != null) {
      exists(lb, "prices", base, run, sink);
    }
  }

  /**
   * In a run, a review design's rounds need a target: the run reviews in rounds to stop once the
   * numbers are good enough (rounds without one are for {@code queue export --round} by hand); and a
   * seed, since every round must be drawn with the same one (a drawn seed differs from round to round).
   */
  private static GoldDesign roundsNeeds(GoldDesign d, Path file, Long reviewSeed) {
    if (d.rounds().count() == 1) {
      return d;
    }
    YamlFields f = YamlFields.root(LocatedYaml.read(file, LocatedYaml.Kind.of("review design")), "a mapping",
        YamlFields.failFast());
    if (Double.isNaN(d.rounds().target())) {
      throw f.error("rounds", "plumb run reviews in rounds to stop once the numbers are good enough:"
          + " add target_half_width: (e.g. 0.3 stops once every policy's interval is within ±30% of its estimate)");
    }
    if (reviewSeed == null && d.seed().isEmpty()) {
      throw f.error("rounds", "every round must be drawn with the same seed: give seed: here or review.seed:");
    }
    return d;
  }

  /** With a review in {@code count} rounds (1: in one go), each round's vendor answers need a file of their own. */
  private static void rounds(YamlFields rv, int count) {
    if (count > 1 && rv.has("adjudicated")) {
      rv.problem("adjudicated", "a review in rounds imports each round on its own; adjudicate a round's ties with"
          + " plumb queue import --adjudicated, or leave them out (missing at random within their stratum)");
    }
    YamlFields an = section(rv, "answers");
    Node files = an == null ? null : an.node("files");
    List<Node> items = files instanceof SeqNode seq ? seq.items() : files == null ? List.of() : List.of(files);
    for (int i = 0; i < items.size(); i++) {
      if (!(items.get(i) instanceof Scalar item)) {
        continue;
      }
      boolean named = item.text().contains(ReviewRounds.ROUND);
      if (count > 1 && !named) {
        an.problemAt(item, "the review design has " + count + " rounds, each answered in a file of its own: put "
            + ReviewRounds.ROUND + " in the name (e.g. answers/day1-r" + ReviewRounds.ROUND + ".csv)");
      } else if (count == 1 && named) {
        an.problemAt(item, ReviewRounds.ROUND + " stands for a round, but the review design has no rounds:");
      }
    }
  }

  /** The section under {@code key} when it is a mapping (anything else was reported by the parse). */
  private static YamlFields section(YamlFields top, String key) {
    return top.node(key) instanceof MapNode ? top.object(key) : null;
  }

  /** Reads a configuration with its owner's reader; an inline one from a scratch copy, its problems moved back. */
  private static void sub(SubConfig config, java.util.function.Function<Path, ?> reader, List<Problem> problems) {
    if (config == null) {
      return;
    }
    if (!config.isInline() && !Files.isRegularFile(config.file())) {
      problems.add(Problem.of(config.runSource() + ": " + config.field() + ": file not found: " + config.file()));
      return;
    }
    Path scratch = null;
    try {
      scratch = config.isInline() ? Files.createTempDirectory("plumb-run-check") : null;
      Path file = config.isInline() ? config.materialize(scratch, config.field()) : config.file();
      try {
        reader.apply(file);
      } catch (InputException e) {
        problems.addAll(config.relocate(e, file).problems());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (scratch != null) {
        Inputs.delete(scratch);
      }
    }
  }

  /** The library loads, and each {@code use} entry resolves; an unknown id or version at its item. */
  private static void policies(RunFile run, YamlFields pol, List<Problem> problems) {
    Path dir = run.policies().dir();
    if (!Files.isDirectory(dir)) {
      String at = run.source();
      if (pol != null && pol.has("dir")) {
        Node n = pol.node("dir");
        problems.add(Problem.at(run.source(), n.position().line(), n.position().column(), "policies.dir",
            "folder not found: " + dir));
      } else {
        problems.add(Problem.of(at + ": policies.dir: folder not found: " + dir + " (the default is policies/ beside the run file)"));
      }
      return;
    }
    PolicyLibrary library;
    try {
      library = PolicyLibrary.load(dir);
    } catch (InputException e) {
      problems.addAll(e.problems());
      return;
    }
    List<String> use = run.policies().use();
    Node useNode = pol == null ? null : pol.node("use");
    List<Node> items = useNode instanceof SeqNode seq ? seq.items() : useNode == null ? List.of() : List.of(useNode);
    boolean each = true;
    for (int i = 0; i < use.size(); i++) {
      try {
        library.select(List.of(use.get(i)));
      } catch (InputException e) {
        Node at = i < items.size() && items.get(i) instanceof Scalar ? items.get(i) : useNode;
        String field = useNode instanceof SeqNode ? "policies.use[" + i + "]" : "policies.use";
        each = false;
        for (Problem p : e.problems()) {
          problems.add(at(run, at, field, p.toString()));
        }
      }
    }
    if (each) {
      try {
        library.select(use); // together: two versions of one policy, or nothing active
      } catch (InputException e) {
        e.problems().forEach(p -> problems.add(at(run, useNode, "policies.use", p.toString())));
      }
    }
  }

  private static Problem at(RunFile run, Node node, String field, String message) {
    return node == null ? Problem.at(run.source(), 0, field, message)
        : Problem.at(run.source(), node.position().line(), node.position().column(), field, message);
  }

  /** A named input file must exist, unless it is under the output folder (an earlier stage writes it). */
  private static void exists(YamlFields f, String key, Path base, RunFile run, Consumer<Problem> sink) {
    String name = f.has(key) && f.node(key) instanceof Scalar s && s.isString() ? s.text() : null;
    if (name == null) {
      return;
    }
    Path p = base.resolve(name).normalize();
    if (run.output() != null && p.startsWith(run.output())) {
      return;
    }
    if (!Files.exists(p)) {
      f.problem(key, "file not found: " + p);
    }
  }
}
