package dev.plumb.labeler.evaluation;

import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.PlumbException;
import dev.plumb.labeler.backend.Backend;
import dev.plumb.labeler.backend.BackendSpec;
import dev.plumb.labeler.backend.Backends;
import dev.plumb.labeler.backend.Credentials;
import dev.plumb.labeler.batch.LabelingSession;
import dev.plumb.labeler.local.LocalClassifier;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.policy.PolicyLibrary;
import dev.plumb.labeler.prompt.ModelParams;
import dev.plumb.labeler.prompt.PromptBundle;
import dev.plumb.labeler.prompt.PromptCompiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A whole prompt test (docs/prompt-test.md): resolves the candidate and the baseline, collects the
 * cases (the policy's examples, a golden set, {@code only} some), labels them with each side through
 * the {@link LabelingSession} and scores them into a {@link PromptTestReport}.
 */
public final class PromptTestRun {
  /** Few cases: fewer requests in flight than a labeling run's default. */
  public static final int DEFAULT_CONCURRENCY = 8;

  private PromptTestRun() {}

  /**
   * @param policy the candidate, {@code id[@version]}
   * @param golden a golden set, or null
   * @param only the case ids to test (empty: all)
   * @param against a baseline version, or null; {@code againstPolicies}, {@code againstPrompts},
   *     {@code againstModel}, {@code againstBaseUrl} other baselines (null: the candidate's)
   * @param session the model, limits and cache of both sides (its temperature and token cap are part of the prompt)
   */
  public record Request(String policy, Path golden, List<String> only, Path policies, Path prompts, String against,
      Path againstPolicies, Path againstPrompts, String againstModel, String againstBaseUrl, PromptTestReport.Gate gate,
      LabelingSession session, Credentials credentials) {
    public Request {
      only = List.copyOf(only);
    }

    boolean hasBaseline() {
      return against != null || againstPolicies != null || againstPrompts != null || againstModel != null;
    }
  }

  /**
   * Runs the test.
   *
   * @throws InputException for a bad reference, a baseline that is the candidate, unknown cases or none
   * @throws PlumbException when a side's run stopped early (key refused, quota, circuit breaker)
   */
  public static PromptTestReport run(Request r) {
    LabelingSession session = r.session().withPoliciesDir(r.policies());
    boolean local = session.local();
    PolicyLibrary library = PolicyLibrary.load(r.policies());
    Policy candidatePolicy = library.select(List.of(r.policy())).get(0);
    Policy baselinePolicy = null;
    if (r.hasBaseline()) {
      PolicyLibrary baseLibrary = r.againstPolicies() == null ? library : PolicyLibrary.load(r.againstPolicies());
      // another library without --against: the same reference, resolved there (self_harm: its highest active version)
      String ref = r.against() != null ? r.against() : r.againstPolicies() != null ? r.policy() : candidatePolicy.key();
      baselinePolicy = baseLibrary.select(List.of(ref)).get(0);
      if (!baselinePolicy.id().equals(candidatePolicy.id())) {
        throw new InputException("--against " + ref + " is another policy than --policy " + candidatePolicy.key()
            + "; compare two versions of one policy");
      }
    }
    ModelParams params;
    try {
      params = session.modelParams(1);
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage());
    }
    PromptBundle candidateBundle = PromptCompiler.compile(List.of(candidatePolicy), r.prompts(), params);
    PromptBundle baselineBundle = !r.hasBaseline() ? null : PromptCompiler.compile(List.of(baselinePolicy),
        r.againstPrompts() != null ? r.againstPrompts() : r.prompts(), params);
    String model = session.model();
    String baselineModel = r.againstModel() != null ? r.againstModel() : model;
    if (r.hasBaseline() && baselineBundle.fingerprint().equals(candidateBundle.fingerprint())
        && Objects.equals(baselineModel, model) && r.againstBaseUrl() == null) {
      throw new InputException("the baseline is the candidate (same prompt " + candidateBundle.fingerprint()
          + (local ? "" : " and model " + model) + "); name another version, prompts or model to compare with");
    }
    List<TestCase> cases = cases(r, library, candidatePolicy);
    BackendSpec candidateSpec = spec(session, model, session.baseUrl());
    BackendSpec baselineSpec = local || !r.hasBaseline() ? null : spec(session, baselineModel,
        r.againstBaseUrl() != null ? r.againstBaseUrl() : session.baseUrl());
    Path work;
    try {
      work = Files.createTempDirectory("plumb-prompt-test");
    } catch (IOException e) {
      throw new PlumbException("cannot create a work directory: " + e.getMessage(), e);
    }
    try {
      PromptTest.SideResult cand;
      PromptTest.SideResult base = null;
      try (Backend b = backend(session, candidateSpec, candidatePolicy, r.credentials())) {
        cand = PromptTest.label(new PromptTest.Side("candidate", candidatePolicy, candidateBundle, b, local), cases, work,
            session::prompt, builder -> settings(session, builder, candidateSpec));
      }
      if (r.hasBaseline()) {
        try (Backend b = backend(session, baselineSpec, baselinePolicy, r.credentials())) {
          base = PromptTest.label(new PromptTest.Side("baseline", baselinePolicy, baselineBundle, b, local), cases, work,
              session::prompt, builder -> settings(session, builder, baselineSpec));
        }
      }
      return PromptTestReport.of(candidatePolicy, cases, cand, base, r.gate());
    } finally {
      deleteQuietly(work);
    }
  }

  private static List<TestCase> cases(Request r, PolicyLibrary library, Policy policy) {
    Path policyFile = library.file(policy);
    List<TestCase> cases = new ArrayList<>(PromptTest.examples(policy, policyFile.getParent(), policyFile.toString()));
    if (r.golden() != null) {
      Set<String> exampleIds = policy.examples().stream().map(e -> e.id()).collect(Collectors.toSet());
      cases.addAll(GoldenFile.read(r.golden(), policy, library.ids(), exampleIds));
    }
    if (!r.only().isEmpty()) {
      Set<String> wanted = new LinkedHashSet<>(r.only());
      Set<String> known = cases.stream().map(TestCase::id).collect(Collectors.toSet());
      List<String> unknown = wanted.stream().filter(id -> !known.contains(id)).toList();
      if (!unknown.isEmpty()) {
        throw new InputException("--only: no case " + unknown.stream().map(Json::line).collect(Collectors.joining(", "))
            + " in " + policy.key() + (r.golden() == null ? "" : " or " + r.golden()) + "; cases are: "
            + cases.stream().map(TestCase::id).collect(Collectors.joining(", ")));
      }
      cases = cases.stream().filter(c -> wanted.contains(c.id())).toList();
    }
    if (cases.isEmpty()) {
      throw new InputException(policy.key() + " has no examples; add examples to the policy or give --golden FILE");
    }
    return cases;
  }

  private static BackendSpec spec(LabelingSession session, String model, String baseUrl) {
    try {
      return session.spec(model, baseUrl);
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage());
    }
  }

  private static Backend backend(LabelingSession session, BackendSpec spec, Policy policy, Credentials credentials) {
    if (session.local()) {
      HeldOut heldOut = new HeldOut();
      return Backends.localHeldOut(LocalClassifier.builder().cacheDir(LabelingSession.defaultCacheDir()).build(),
          List.of(policy), heldOut::trainingPolicy);
    }
    return session.open(spec, List.of(policy), null, credentials);
  }

  private static dev.plumb.labeler.batch.LabelerConfig.Builder settings(LabelingSession session,
      dev.plumb.labeler.batch.LabelerConfig.Builder b, BackendSpec spec) {
    b = session.settings(b, spec).maxOutputTokens(session.maxOutputTokens(1)).runFileInterval(Duration.ofDays(1));
    // held-out answers of the local backend depend on more than the request: never cache them
    return session.local() ? b.cacheDir(null) : b;
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // a leftover temporary file is harmless
        }
      });
    } catch (IOException e) {
      // same
    }
  }
}
