package dev.plumb.labeler.prompt;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.policy.PolicyLibrary;
import dev.plumb.labeler.unit.Unit;
import dev.plumb.labeler.unit.Units;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Prompt compiler figures on the starter library: compile time, render and check throughput, and
 * prompt sizes in tokens. Run from the project root with {@code bench/prompt.sh}.
 */
public final class PromptBenchmark {
  private PromptBenchmark() {}

  public static void main(String[] args) {
    List<Policy> policies = PolicyLibrary.load(Path.of("policies")).select(List.of());
    Path prompts = Path.of("prompts");
    Path tour = Path.of("fixtures/units/tour.jsonl");
    List<Unit> units = Units.readAll(tour);

    for (int i = 0; i < 20; i++) {
      PromptCompiler.compile(policies, prompts, ModelParams.DEFAULT);
    }
    int compiles = 50;
    long t0 = System.nanoTime();
    PromptBundle bundle = null;
    for (int i = 0; i < compiles; i++) {
      bundle = PromptCompiler.compile(policies, prompts, ModelParams.DEFAULT);
    }
    double compileMs = (System.nanoTime() - t0) / 1e6 / compiles;

    RenderOptions options = RenderOptions.withImages(tour.toAbsolutePath().getParent());
    int renders = 20_000;
    for (int i = 0; i < renders / 4; i++) {
      bundle.render(units.get(i % units.size()), options);
    }
    t0 = System.nanoTime();
    for (int i = 0; i < renders; i++) {
      bundle.render(units.get(i % units.size()), options);
    }
    double renderUs = (System.nanoTime() - t0) / 1e3 / renders;

    Unit unit = units.get(1);
    String answer = "{" + String.join(", ", bundle.policies().stream().map(p -> "\"" + p.id() + "\": {\"rationale\": \""
        + "x".repeat(200) + "\", \"evidence\": [\"pin-b\"], \"decision\": \"safe\", \"category\": null, \"confidence\": 0.9}")
        .toList()) + "}";
    for (int i = 0; i < renders / 4; i++) {
      bundle.check(answer, unit);
    }
    t0 = System.nanoTime();
    for (int i = 0; i < renders; i++) {
      bundle.check(answer, unit);
    }
    double checkUs = (System.nanoTime() - t0) / 1e3 / renders;

    Encoding o200k = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    int systemTokens = o200k.countTokens(bundle.systemMessage());
    System.out.printf(Locale.ROOT, "policies: %s%n", bundle.policies().stream().map(Policy::key).toList());
    System.out.printf(Locale.ROOT, "compile (4 policies, %d in-prompt examples): %.1f ms%n",
        bundle.toJson().get("examples").size(), compileMs);
    System.out.printf(Locale.ROOT, "render (tour units, images on): %.1f us/unit%n", renderUs);
    System.out.printf(Locale.ROOT, "check (valid 4-policy answer): %.1f us/answer%n", checkUs);
    System.out.printf(Locale.ROOT, "system message: %d chars, %d tokens (o200k_base)%n", bundle.systemMessage().length(), systemTokens);
    for (Unit u : units) {
      String user = bundle.render(u, RenderOptions.textOnly()).messages().get(1).text();
      System.out.printf(Locale.ROOT, "user message %s: %d tokens (text only)%n", u.id(), o200k.countTokens(user));
    }
    System.out.printf(Locale.ROOT, "answer schema: %d chars%n", bundle.schema().toString().length());
  }
}
