package dev.plumb.labeler.evaluation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.AtomicOutput;
import dev.plumb.core.Json;
import dev.plumb.core.Jsonl;
import dev.plumb.core.PlumbException;
import dev.plumb.labeler.backend.Backend;
import dev.plumb.labeler.batch.BatchLabeler;
import dev.plumb.labeler.batch.LabelerConfig;
import dev.plumb.labeler.batch.LabelingPrompt;
import dev.plumb.labeler.batch.Progress;
import dev.plumb.labeler.batch.RunSummary;
import dev.plumb.labeler.policy.Example;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.prompt.PromptBundle;
import dev.plumb.labeler.unit.Component;
import dev.plumb.labeler.unit.Unit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * Runs test cases through one configuration (a policy version, its compiled prompt, a backend) with
 * the batch labeler — the same rendering, pacing, retries, validation and response cache as
 * {@code plumb label} — and reads the answers back.
 */
public final class PromptTest {
  private PromptTest() {}

  /**
   * One configuration under test.
   *
   * @param name {@code candidate} or {@code baseline}: names the side's files in the work directory
   * @param policy the policy version whose answer is scored (the bundle must contain it)
   * @param bundle the compiled prompt
   * @param backend the model; closed by the caller
   * @param heldOut whether the backend answers each unit with a model that did not train on it
   *     (the local backend through {@link HeldOut})
   */
  public record Side(String name, Policy policy, PromptBundle bundle, Backend backend, boolean heldOut) {
    public Side {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(bundle, "bundle");
      Objects.requireNonNull(backend, "backend");
    }

    /** The model as labels name it. */
    public String model() {
      return backend.model();
    }
  }

  /**
   * What one side answered.
   *
   * @param answers case id → answer
   * @param progress the labeler's counts: requests sent, answers from the cache, tokens, cost
   */
  public record SideResult(Side side, Map<String, CaseAnswer> answers, Progress progress) {
    public SideResult {
      answers = Map.copyOf(answers);
    }
  }

  /** The policy's examples as test cases, in policy order; relative image paths resolve against {@code policyDir}. */
  public static List<TestCase> examples(Policy policy, Path policyDir, String origin) {
    List<TestCase> cases = new ArrayList<>();
    for (Example e : policy.examples()) {
      boolean positive = policy.decision(e.decision()).map(d -> d.positive()).orElse(false);
      Unit unit = e.unit().id().equals(e.id()) ? e.unit() : new Unit(e.id(), e.unit().attributes(), e.unit().components());
      cases.add(new TestCase(GoldenFile.absoluteImages(unit, policyDir.toAbsolutePath()),
          new Expected(e.decision(), positive ? e.category() : null, true, positive), TestCase.Kind.EXAMPLE, origin));
    }
    return cases;
  }

  /**
   * Labels every case with {@code side}, writing the units and labels under {@code workDir}.
   *
   * @param settings adds the run's options (limits, cache directory, images, ...) to the builder
   * @throws dev.plumb.core.InputException for input the labeler refuses
   * @throws PlumbException when the run stopped early (key refused, quota, circuit breaker, budget)
   */
  public static SideResult label(Side side, List<TestCase> cases, Path workDir, UnaryOperator<LabelerConfig.Builder> settings) {
    return label(side, cases, workDir, LabelingPrompt::of, settings);
  }

  /**
   * The same with the side's bundle made a labeling prompt by {@code prompts} (a model profile,
   * docs/labeler.md "Model profiles"), whose output cap the run takes.
   */
  public static SideResult label(Side side, List<TestCase> cases, Path workDir,
      BiFunction<PromptBundle, Path, LabelingPrompt> prompts, UnaryOperator<LabelerConfig.Builder> settings) {
    Path units = workDir.resolve(side.name() + ".units.jsonl");
    Path out = workDir.resolve(side.name() + ".labels.jsonl");
    writeUnits(units, cases);
    LabelerConfig config;
    try {
      LabelingPrompt prompt = prompts.apply(side.bundle(), workDir);
      LabelerConfig.Builder b = settings.apply(LabelerConfig.builder()
              .units(units)
              .out(out)
              .prompt(prompt)
              .backend(side.backend()));
      if (prompt.maxOutputTokens() > 0) {
        b.maxOutputTokens(prompt.maxOutputTokens());
      }
      config = b.build();
    } catch (IllegalArgumentException e) {
      throw new dev.plumb.core.InputException(e.getMessage());
    }
    RunSummary summary = BatchLabeler.run(config);
    if (summary.outcome() != RunSummary.Outcome.COMPLETE) {
      throw new PlumbException(side.name() + " " + side.policy().key() + ": " + summary.message());
    }
    Map<String, CaseAnswer> answers = new HashMap<>();
    String key = side.policy().key();
    Jsonl.forEach(out, line -> {
      if (line.node().path("policy").asText().equals(key)) {
        answers.put(line.node().path("unit").asText(), CaseAnswer.of(line.node()));
      }
    });
    return new SideResult(side, answers, summary.progress());
  }

  private static void writeUnits(Path file, List<TestCase> cases) {
    StringBuilder sb = new StringBuilder();
    for (TestCase c : cases) {
      sb.append(Json.line(unitJson(c.unit()))).append('\n');
    }
    AtomicOutput.write(file, sb.toString());
  }

  /** A unit in the units-file format (docs/formats.md). */
  static ObjectNode unitJson(Unit unit) {
    ObjectNode o = Json.object();
    o.put("id", unit.id());
    if (!unit.attributes().isEmpty()) {
      ObjectNode a = o.putObject("attributes");
      unit.attributes().forEach(a::put);
    }
    ArrayNode cs = o.putArray("components");
    for (Component c : unit.components()) {
      ObjectNode co = cs.addObject();
      co.put("id", c.id());
      co.put("kind", c.kind());
      if (c.text() != null && !c.text().isEmpty()) {
        co.put("text", c.text());
      }
      if (c.image() != null) {
        co.put("image", c.image());
      }
    }
    return o;
  }
}
