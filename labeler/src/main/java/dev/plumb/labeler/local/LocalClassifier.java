package dev.plumb.labeler.local;

import dev.plumb.core.Hashing;
import dev.plumb.core.scores.PriorShift;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.prompt.PolicyAnswer;
import dev.plumb.labeler.unit.Unit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code local} backend: classifies and scores units against policies with no network and no
 * key (docs/local-backend.md).
 *
 * <p><b>Model.</b> Texts are embedded with the quantized all-MiniLM-L6-v2 encoder. Per policy
 * version, an ensemble of L2-regularised logistic regressions on the embeddings (one per λ of a
 * fixed grid) is trained on the policy's examples, its own category definitions and includes
 * (positive) and allowed contexts (negative), plus the rows of an optional labeled file mapped to
 * it; the probability is Platt-calibrated on stratified 5-fold out-of-fold decision values.
 *
 * <p><b>Units.</b> Every pin is read on its own; a query and a response are read together in one
 * model run, and each is also read on its own from that run's token states. A long text also
 * counts its worst sentence window. The unit's score is the largest calibrated probability over
 * what was read, and the evidence is the component that produced it. Images are not seen: a pin's text stands in for it.
 *
 * <p><b>Caches.</b> Trained models are saved under {@code <cacheDir>/local-models}, keyed by the
 * policy's sha256, the training data's fingerprint and the embedding model, and reused until one
 * of them changes. Embeddings are content-addressed (SHA-256 of the text): in memory (bounded,
 * least recently used) and on disk under {@code <cacheDir>/embeddings}, so a text is embedded once.
 *
 * <p>Thread-safe: classify and score may be called from many threads. Close it to release the
 * embedding threads and files.
 */
public final class LocalClassifier implements AutoCloseable {
  /** The backend name labels carry. */
  public static final String BACKEND = "local";

  /**
   * One policy's trained model, as {@link #prepare} found or made it. {@code lambda} is the
   * geometric mean of the ensemble members' penalties; {@code cvRocAuc} the ensemble's pooled
   * out-of-fold ROC-AUC on its training texts; {@code grams} the size of the word half's vocabulary
   * (0: embeddings only — the word half needs a labeled file, see docs/local-backend.md).
   */
  public record ModelInfo(
      String policy, String fingerprint, Path file, boolean reused, int positives, int negatives, double lambda, double cvRocAuc,
      int grams, double seconds) {}

  /** How much embedding work the caches saved. */
  public record Stats(long textsRequested, long fromCache, long embedded) {}

  /** A unit's calibrated probability of violating one policy, and where it came from. */
  private record Reading(double probability, View view, float[] vector, String component) {}

  private final TrainingData training;
  /** Policy id → the population's declared prevalence; empty: decide at 0.5 as trained. */
  private final Map<String, Double> prevalence;
  private final Embedder embedder;
  private final ModelStore store;
  private final Map<String, PolicyModel> models = new ConcurrentHashMap<>();
  private final Map<String, ModelInfo> infos = new ConcurrentHashMap<>();

  private LocalClassifier(Builder b) {
    Path cacheDir = b.cacheDir == null ? defaultCacheDir() : b.cacheDir;
    MiniLm model = MiniLm.shared(cacheDir);
    EmbeddingStore disk = b.diskCache ? EmbeddingStore.open(cacheDir.resolve("embeddings"), model.id()) : null;
    this.training = b.training;
    this.prevalence = Map.copyOf(b.prevalence);
    this.embedder = new Embedder(model, disk, b.threads, b.memoryEntries);
    this.store = new ModelStore(cacheDir.resolve("local-models"));
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The plumb cache directory: the {@code plumb.cache.dir} system property, else
   * {@code .plumb-cache} under the working directory.
   */
  public static Path defaultCacheDir() {
    String dir = System.getProperty("plumb.cache.dir");
    return dir != null && !dir.isBlank() ? Path.of(dir) : Path.of(System.getProperty("user.dir"), ".plumb-cache");
  }

  /**
   * The model name labels carry: the embedding model, the classifier version and, when it learned
   * from a training file, that data's id.
   */
  public String model() {
    String data = training.id();
    // decisions at declared prevalences are other labels: their id says so (and keys the label cache)
    String counted = prevalence.isEmpty() ? "" : "+count-at-" + Hashing.sha256(new java.util.TreeMap<>(prevalence).toString()).replace("sha256:", "").substring(0, 12);
    return embedder.modelId() + "+" + PolicyModel.CLASSIFIER + (data.isEmpty() ? "" : "+train-" + data) + counted;
  }

  public Stats stats() {
    Embedder.Stats s = embedder.stats();
    return new Stats(s.requested(), s.memoryHits() + s.storeHits(), s.computed());
  }

  /**
   * Loads the policy's saved model, or trains and saves one when the policy, the training data or
   * the embedding model changed. Idempotent and cheap after the first call.
   *
   * @throws dev.plumb.core.InputException when the policy cannot be trained (fewer than 2
   *     positive or 2 negative training texts, no negative decision, a mapping to an unknown category)
   */
  public ModelInfo prepare(Policy policy) {
    model(policy);
    return infos.get(key(policy));
  }

  /** The policy's answer for {@code unit}; see {@link #classifyAll}. */
  public PolicyAnswer classify(Unit unit, Policy policy) {
    return classifyAll(List.of(unit), policy).get(0);
  }

  /**
   * Answers for many units at once (their texts are embedded in one batched pass). The decision is
   * positive when the unit's calibrated probability is at least 0.5 — or, for a policy whose
   * population prevalence was declared ({@link Builder#prevalence}), at least the threshold at
   * which counting positives is unbiased at it; then the positive decision and
   * the category are those whose training texts are nearest (cosine, centroid) to the text that
   * produced the score. {@code confidence} is the probability of the answer given. A unit with no
   * text gets the policy's negative decision at the training prior, with a rationale saying so.
   */
  public List<PolicyAnswer> classifyAll(List<Unit> units, Policy policy) {
    PolicyModel m = model(policy);
    Map<List<String>, Features> features = features(units);
    List<PolicyAnswer> answers = new ArrayList<>(units.size());
    for (Unit unit : units) {
      answers.add(answer(policy, m, read(unit, m, features), prevalence.get(policy.id())));
    }
    return answers;
  }

  /** The unit's risk score for the policy, in (0, 1); see {@link #scoreAll}. */
  public double score(Unit unit, Policy policy) {
    return scoreAll(List.of(unit), List.of(policy))[0][0];
  }

  /**
   * Risk scores {@code [unit][policy]}: the largest calibrated probability over what the classifier
   * reads of the unit, clamped to [1e-6, 1 − 1e-6] so that a score can always serve as a sampling
   * size. A unit with no text scores the training prior.
   */
  public double[][] scoreAll(List<Unit> units, List<Policy> policies) {
    List<PolicyModel> ms = policies.stream().map(this::model).toList();
    Map<List<String>, Features> features = features(units);
    double[][] scores = new double[units.size()][policies.size()];
    for (int u = 0; u < units.size(); u++) {
      for (int p = 0; p < ms.size(); p++) {
        scores[u][p] = clamp(read(units.get(u), ms.get(p), features).probability());
      }
    }
    return scores;
  }

  private static double clamp(double p) {
    return Math.min(1 - 1e-6, Math.max(1e-6, p));
  }

  /**
   * The features of everything the units' views read, keyed by request: a conversation's turns
   * (read in one pass, the turns' own readings pooled from it) or one text.
   */
  private Map<List<String>, Features> features(List<Unit> units) {
    Set<List<String>> requests = new LinkedHashSet<>();
    for (Unit unit : units) {
      for (View v : View.of(unit)) {
        if (v.turn() < 0) {
          requests.add(v.turns());
        }
      }
    }
    List<List<String>> list = new ArrayList<>(requests);
    Features[] fs = embedder.featuresAll(list);
    Map<List<String>, Features> map = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      map.put(list.get(i), fs[i]);
    }
    return map;
  }

  private static Reading read(Unit unit, PolicyModel m, Map<List<String>, Features> features) {
    List<View> views = View.of(unit);
    if (views.isEmpty()) {
      return new Reading(m.prior(), null, null, null);
    }
    Features conversation =
        views.stream().filter(View::context).findFirst().map(v -> features.get(v.turns())).orElse(null);
    Map<String, Double> byComponent = new LinkedHashMap<>();
    View best = null;
    Features bestF = null;
    double bestP = -1;
    for (View v : views) {
      Features f = v.turn() >= 0 ? conversation.parts().get(v.turn()) : features.get(v.turns());
      double p = m.probability(v.text(), f.whole(), f.windows());
      if (!v.context()) {
        byComponent.merge(v.components().get(0), p, Math::max);
      }
      if (p > bestP) {
        bestP = p;
        best = v;
        bestF = f;
      }
    }
    // evidence: the component itself, or the strongest part of a query read with its response
    String component =
        best.components().stream().max(Comparator.comparingDouble(c -> byComponent.getOrDefault(c, 0.0))).orElseThrow();
    return new Reading(bestP, best, bestF.whole(), component);
  }

  /**
   * The answer at threshold 0.5 on the probability calibrated to the training data, or — with the
   * population's {@code prevalence} declared — at the count threshold for it (expected false
   * positives = expected misses, {@link CountThreshold}), with the confidence moved to that
   * prevalence by the prior-shift correction of Saerens et al. (2002).
   */
  private static PolicyAnswer answer(Policy policy, PolicyModel m, Reading r, Double prevalence) {
    if (r.view() == null) {
      double none = prevalence == null ? m.prior() : prevalence;
      return new PolicyAnswer(policy.key(), m.negativeDecision(), false, null, 1 - none,
          String.format(Locale.ROOT, "no text to read (the local backend does not see images); %s prior %.2f",
              prevalence == null ? "training" : "declared", none),
          List.of());
    }
    double raw = r.probability();
    double p = raw;
    boolean positive = raw >= 0.5;
    if (prevalence != null) {
      positive = raw >= m.countThreshold(prevalence);
      // a training set of one class gives no prior to shift from: keep the probability
      p = m.prior() > 0 && m.prior() < 1 ? PriorShift.adjust(raw, m.prior(), prevalence) : raw;
    }
    String decision =
        positive
            ? PolicyModel.nearest(m.positiveDecisions(), r.vector(), m.positiveDecision())
            : PolicyModel.nearest(m.negativeDecisions(), r.vector(), m.negativeDecision());
    String category = positive ? PolicyModel.nearest(m.categories(), r.vector(), null) : null;
    StringBuilder why = new StringBuilder(String.format(Locale.ROOT, "score %.2f from %s", raw, r.component()));
    if (prevalence != null) {
      why.append(String.format(Locale.ROOT, " (threshold %.3f counts without bias at the declared prevalence %s)",
          m.countThreshold(prevalence), prevalence));
    }
    if (r.view().context()) {
      why.append(" read with ").append(String.join("+", r.view().components()));
    }
    List<String> near = nearestExamples(m, r.vector(), 2);
    if (!near.isEmpty()) {
      why.append("; nearest examples: ").append(String.join(", ", near));
    }
    return new PolicyAnswer(policy.key(), decision, positive, category, positive ? p : 1 - p, why.toString(),
        positive ? List.of(r.component()) : List.of());
  }

  private static List<String> nearestExamples(PolicyModel m, float[] x, int k) {
    Map<String, Double> best = new LinkedHashMap<>();
    Map<String, String> decision = new HashMap<>();
    for (PolicyModel.Neighbour n : m.examples()) {
      best.merge(n.id(), PolicyModel.cosine(n.vector(), x), Math::max);
      decision.put(n.id(), n.decision());
    }
    return best.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .limit(k)
        .map(e -> String.format(Locale.ROOT, "%s (%s, %.2f)", e.getKey(), decision.get(e.getKey()), e.getValue()))
        .toList();
  }

  private String key(Policy policy) {
    return Hashing.sha256(
        String.join("\n", policy.key(), policy.sha256(), training.fingerprint(policy.id()), embedder.modelId(), PolicyModel.CLASSIFIER, Trainer.BACKGROUND_SHA256));
  }

  private PolicyModel model(Policy policy) {
    String key = key(policy);
    PolicyModel m = models.get(key);
    if (m != null) {
      return m;
    }
    synchronized (this) {
      m = models.get(key);
      if (m != null) {
        return m;
      }
      long t0 = System.nanoTime();
      m = store.load(policy.key(), key);
      boolean reused = m != null;
      if (m == null) {
        m = Trainer.build(policy, training, embedder, key);
        store.save(m);
      }
      infos.put(key, new ModelInfo(policy.key(), key, store.path(policy.key(), key), reused, m.positives(), m.negatives(),
          m.lambda(), m.cvRocAuc(), m.lexicon().size(), (System.nanoTime() - t0) / 1e9));
      models.put(key, m);
      return m;
    }
  }

  @Override
  public void close() {
    embedder.close();
  }

  /** Settings for a {@link LocalClassifier}; every one has a default. */
  public static final class Builder {
    private Path cacheDir;
    private TrainingData training = TrainingData.none();
    private int threads = Runtime.getRuntime().availableProcessors();
    private int memoryEntries = 50_000;
    private boolean diskCache = true;
    private Map<String, Double> prevalence = Map.of();

    private Builder() {}

    /** Where models, embeddings and native libraries go (default {@link #defaultCacheDir()}). */
    public Builder cacheDir(Path dir) {
      this.cacheDir = Objects.requireNonNull(dir);
      return this;
    }

    /** A labeled file to train on besides the policies' own examples (default none). */
    public Builder training(TrainingData data) {
      this.training = Objects.requireNonNull(data);
      return this;
    }

    /** Embedding threads (default: one per core). */
    public Builder threads(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("threads must be >= 1: " + n);
      }
      this.threads = n;
      return this;
    }

    /** Embeddings kept in memory (default 50,000, about 80 MB). */
    public Builder memoryEntries(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("memoryEntries must be >= 0: " + n);
      }
      this.memoryEntries = n;
      return this;
    }

    /** Whether embeddings are also kept on disk across runs (default true). */
    public Builder diskCache(boolean on) {
      this.diskCache = on;
      return this;
    }

    /**
     * The population's expected prevalence per policy id: decisions count without bias at it and
     * confidences are moved to it ({@link #classifyAll}); policies not named decide at 0.5 on the
     * training-calibrated probability (default: none named). Scores ({@link #scoreAll}) are not
     * affected: they rank.
     *
     * @throws IllegalArgumentException for a prevalence outside (0, 1)
     */
    public Builder prevalence(Map<String, Double> byPolicy) {
      byPolicy.forEach((k, v) -> {
        if (!(v > 0 && v < 1)) {
          throw new IllegalArgumentException("prevalence of " + k + " is not in (0, 1): " + v);
        }
      });
      this.prevalence = Map.copyOf(byPolicy);
      return this;
    }

    public LocalClassifier build() {
      return new LocalClassifier(this);
    }
  }
}
