package dev.plumb.labeler.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.core.Jsonl;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Quality of the local classifier, measured on the model {@code plumb score --train} builds:
 * stratified 5-fold cross-validation (seeded) on the moderation evaluation set, per category. For
 * a category with a starter policy (sexual → adult_sexual, harassment → harassment, self-harm →
 * self_harm) each outer training fold is the labeled file restricted to the fold's lines ({@link
 * TrainingData#lines}) mapped onto the policy, and the model is {@link Trainer#build} — the code
 * {@link LocalClassifier} runs for {@code --train}, so the policy's examples, definitions,
 * includes and allowed texts and the background texts are in it; the held-out fold's texts are
 * scored as one-component units are ({@link PolicyModel#probability}). Hate and violence have no
 * starter policy: their folds train {@link Trainer#fitBinary} on the fold's texts and the
 * background (what {@link Trainer#build} does for a policy with no texts of its own). ROC-AUC and
 * PR-AUC (average precision) are computed on the pooled out-of-fold scores. Texts whose label for a
 * category is absent are left out of that category (unknown, not 0).
 *
 * <p>Run: {@code bench/local-quality.sh} (prints a Markdown table). {@code --dump FILE} also
 * writes {@code category, label, score} rows for checking the metrics with scikit-learn;
 * {@code --only S,HR} measures only those keys; {@code --folds K} sets the outer folds (default 5);
 * {@code --repeats R} also repeats the CV over R partitions (seeds 7, 8, …) and prints each
 * ROC-AUC and their mean, a steadier figure than one partition's.
 */
public final class LocalQualityBenchmark {
  static final String[][] CATEGORIES = {
    {"sexual", "S"}, {"hate", "H"}, {"violence", "V"}, {"harassment", "HR"}, {"self-harm", "SH"}
  };
  /** Category key → the starter policy it is mapped onto ({@code --map KEY=POLICY}). */
  static final java.util.Map<String, String> POLICIES = java.util.Map.of("S", "adult_sexual", "HR", "harassment", "SH", "self_harm");
  static final int FOLDS = 5;
  /** Folds of the outer cross-validation: {@code --folds K} (2 trains on half, scores the other half). */
  static int folds = FOLDS;
  static final long SEED = 7;

  public static void main(String[] args) throws IOException {
    Path data = Path.of(args.length > 0 && !args[0].startsWith("--") ? args[0] : "../shared/data/moderation/samples-dev.jsonl");
    Path dump = null;
    int repeats = 1;
    java.util.Set<String> only = null;
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals("--dump")) {
        dump = Path.of(args[i + 1]);
      }
      if (args[i].equals("--only")) {
        only = java.util.Set.of(args[i + 1].split(","));
      }
      if (args[i].equals("--folds")) {
        folds = Integer.parseInt(args[i + 1]);
      }
      if (args[i].equals("--repeats")) {
        repeats = Integer.parseInt(args[i + 1]);
      }
    }
    if (!Files.exists(data)) {
      System.out.println("skipped: " + data + " is absent (the moderation evaluation set lives in ../shared/data/moderation/)");
      return;
    }
    PrintStream out = System.out;
    long t0 = System.nanoTime();
    Corpus corpus = Corpus.load(data);
    List<JsonNode> rows = corpus.rows();
    List<String> texts = corpus.texts();
    List<Features> features = corpus.features();
    List<Features> background = corpus.background();
    Embedder.Stats stats = corpus.stats();
    double embedSeconds = (System.nanoTime() - t0) / 1e9;

    StringBuilder dumped = new StringBuilder("category\tlabel\tscore\n");
    out.printf(Locale.ROOT, "%d texts from %s; %d-fold stratified CV, seed %d; embedding %s%n%n",
        texts.size(), data.getFileName(), folds, SEED, corpus.model());
    out.println("| category | key | policy | texts with a label | positives | ROC-AUC | PR-AUC | base rate | Brier | inner-CV ROC-AUC per fold |");
    out.println("|---|---|---|---:|---:|---:|---:|---:|---:|---|");
    long t1 = System.nanoTime();
    List<String> repeated = new ArrayList<>();
    dev.plumb.labeler.policy.PolicyLibrary library = dev.plumb.labeler.policy.PolicyLibrary.load(Path.of("policies"));
    Path cache = Path.of(System.getProperty("plumb.cache.dir", ".plumb-cache"));
    MiniLm model = MiniLm.shared(cache);
    Embedder embedder =
        new Embedder(model, EmbeddingStore.open(cache.resolve("embeddings"), model.id()), Runtime.getRuntime().availableProcessors(), 0);
    for (String[] cat : CATEGORIES) {
      if (only != null && !only.contains(cat[1])) {
        continue;
      }
      Labeled l = Labeled.of(rows, texts, features, cat[1]);
      String policyId = POLICIES.get(cat[1]);
      Trained trained = policyId == null ? null : new Trained(
          library.select(List.of(policyId)).get(0),
          TrainingData.read(data, List.of(cat[1] + "=" + policyId)), l.lines(), embedder);
      String[] ts = l.texts();
      float[][] xs = l.x();
      float[][][] ws = l.windows();
      boolean[] y = l.y();
      int n = y.length;
      int positives = l.positives();
      List<String> lambdas = new ArrayList<>();
      double[] p = crossValidate(ts, xs, ws, y, background, SEED, lambdas, trained);
      double[] aucs = new double[repeats];
      aucs[0] = Ranking.rocAuc(p, y);
      for (int r = 1; r < repeats; r++) {
        aucs[r] = Ranking.rocAuc(crossValidate(ts, xs, ws, y, background, SEED + r, new ArrayList<>(), trained), y);
      }
      if (repeats > 1) {
        repeated.add(String.format(Locale.ROOT, "| %s | %s | %s |", cat[0],
            String.join(" ", java.util.Arrays.stream(aucs).mapToObj(a -> String.format(Locale.ROOT, "%.3f", a)).toList()),
            String.format(Locale.ROOT, "%.3f", java.util.Arrays.stream(aucs).average().orElseThrow())));
      }
      double brier = 0;
      for (int i = 0; i < n; i++) {
        brier += Math.pow(p[i] - (y[i] ? 1 : 0), 2);
        dumped.append(cat[0]).append('\t').append(y[i] ? 1 : 0).append('\t').append(p[i]).append('\n');
      }
      out.printf(Locale.ROOT, "| %s | %s | %s | %d | %d | %.3f | %.3f | %.3f | %.4f | %s |%n",
          cat[0], cat[1], policyId == null ? "— (file only)" : policyId, n, positives, Ranking.rocAuc(p, y), Ranking.averagePrecision(p, y),
          (double) positives / n, brier / n, String.join(" ", lambdas));
    }
    out.printf(Locale.ROOT, "%nembedding: %d texts + sentence windows = %d embeddings (%d computed, %d from the cache) in %.1f s;"
            + " training and scoring: %.1f s%n",
        texts.size(), stats.requested(), stats.computed(), stats.memoryHits() + stats.storeHits(), embedSeconds,
        (System.nanoTime() - t1) / 1e9);
    if (repeats > 1) {
      out.printf(Locale.ROOT, "%nROC-AUC over %d partitions (seeds %d..%d; the first is the table's):%n%n", repeats, SEED, SEED + repeats - 1);
      out.println("| category | ROC-AUC per partition | mean |");
      out.println("|---|---|---:|");
      repeated.forEach(out::println);
    }
    if (dump != null) {
      Files.writeString(dump, dumped);
      out.println("scores written to " + dump);
    }
    System.exit(0);
  }

  /**
   * Out-of-fold calibrated probabilities of stratified {@link #folds}-fold CV with partition
   * {@code seed}; {@code notes} receives each training fold's inner-CV ROC-AUC.
   */
  static double[] crossValidate(
      String[] ts, float[][] xs, float[][][] ws, boolean[] y, List<Features> background, long seed, List<String> notes,
      Trained trained) {
    int n = y.length;
    int[] fold = Folds.stratified(y, folds, seed);
    double[] p = new double[n];
    for (int f = 0; f < folds; f++) {
      int[] test = Folds.select(fold, f, true);
      if (trained != null) {
        PolicyModel m = trained.fold(fold, f);
        notes.add(String.format(Locale.ROOT, "%.3f", m.cvRocAuc()));
        for (int i : test) {
          p[i] = m.probability(ts[i], xs[i], ws[i]);
        }
        continue;
      }
      Trainer.BinaryFit b = fitFold(ts, xs, ws, y, Folds.select(fold, f, false), background, null);
      notes.add(String.format(Locale.ROOT, "%.3f", b.cvRocAuc()));
      for (int i : test) {
        p[i] = b.probability(ts[i], xs[i], ws[i]);
      }
    }
    return p;
  }

  /**
   * A category trained as {@code plumb score --train FILE --map KEY=POLICY} trains it: {@code
   * data} read from the labeled file with that one mapping; {@code lines} the file line of each of
   * the category's labeled texts, in {@link Labeled} order.
   */
  record Trained(dev.plumb.labeler.policy.Policy policy, TrainingData data, int[] lines, Embedder embedder) {
    /** The production model trained on every labeled line outside fold {@code f}. */
    PolicyModel fold(int[] fold, int f) {
      java.util.Set<Integer> heldOut = new java.util.HashSet<>();
      for (int i : Folds.select(fold, f, true)) {
        heldOut.add(lines[i]);
      }
      return Trainer.build(policy, data.lines(line -> !heldOut.contains(line)), embedder, "bench");
    }
  }

  /** The moderation file's rows and texts, each text's features and the background negatives'. */
  record Corpus(List<JsonNode> rows, List<String> texts, List<Features> features, List<Features> background,
      Embedder.Stats stats, String model) {
    static Corpus load(Path data) {
      List<JsonNode> rows = new ArrayList<>();
      Jsonl.forEach(data, line -> rows.add(line.node()));
      List<String> texts = rows.stream().map(r -> r.get("prompt").asText()).toList();
      Path cache = Path.of(System.getProperty("plumb.cache.dir", ".plumb-cache"));
      MiniLm model = MiniLm.shared(cache);
      // the embedding store makes reruns fast; it changes nothing in the numbers
      try (Embedder embedder =
          new Embedder(model, EmbeddingStore.open(cache.resolve("embeddings"), model.id()), Runtime.getRuntime().availableProcessors(), 0)) {
        return new Corpus(rows, texts, Features.of(embedder, texts), Features.of(embedder, Trainer.BACKGROUND),
            embedder.stats(), model.id());
      }
    }
  }

  /** One category's texts with a label: their features and labels. */
  record Labeled(String[] texts, float[][] x, float[][][] windows, boolean[] y, int positives, int[] lines) {
    /** The rows whose label {@code key} is present (absent is unknown, not 0). */
    static Labeled of(List<JsonNode> rows, List<String> texts, List<Features> features, String key) {
      List<Integer> known = new ArrayList<>();
      for (int i = 0; i < rows.size(); i++) {
        JsonNode v = rows.get(i).get(key);
        if (v != null && !v.isNull()) {
          known.add(i);
        }
      }
      int n = known.size();
      String[] ts = new String[n];
      float[][] xs = new float[n][];
      float[][][] ws = new float[n][][];
      boolean[] y = new boolean[n];
      int[] lines = new int[n];
      int positives = 0;
      for (int j = 0; j < n; j++) {
        lines[j] = known.get(j) + 1;
        ts[j] = texts.get(known.get(j));
        xs[j] = features.get(known.get(j)).whole();
        ws[j] = features.get(known.get(j)).windows();
        y[j] = rows.get(known.get(j)).get(key).asInt() == 1;
        positives += y[j] ? 1 : 0;
      }
      return new Labeled(ts, xs, ws, y, positives, lines);
    }
  }

  /**
   * The model of one training fold, as in production ({@code --train} without policy examples): the
   * fold's texts plus the background negatives. {@code labels}, when not null, receives the
   * training rows' labels (background included), in the order of the fit's out-of-fold values.
   */
  static Trainer.BinaryFit fitFold(Labeled l, int[] train, List<Features> background, boolean[][] labels) {
    return fitFold(l.texts(), l.x(), l.windows(), l.y(), train, background, labels);
  }

  static Trainer.BinaryFit fitFold(
      String[] ts, float[][] xs, float[][][] ws, boolean[] y, int[] train, List<Features> background, boolean[][] labels) {
    int m = train.length + background.size();
    String[] tt = new String[m];
    float[][] xt = new float[m][];
    float[][][] wt = new float[m][][];
    boolean[] yt = new boolean[m];
    for (int j = 0; j < train.length; j++) {
      tt[j] = ts[train[j]];
      xt[j] = xs[train[j]];
      wt[j] = ws[train[j]];
      yt[j] = y[train[j]];
    }
    for (int j = 0; j < background.size(); j++) {
      tt[train.length + j] = Trainer.BACKGROUND.get(j);
      xt[train.length + j] = background.get(j).whole();
      wt[train.length + j] = background.get(j).windows();
    }
    if (labels != null) {
      labels[0] = yt;
    }
    return Trainer.fitBinary(tt, xt, wt, yt, true, Trainer.SEED);
  }

  private LocalQualityBenchmark() {}
}
