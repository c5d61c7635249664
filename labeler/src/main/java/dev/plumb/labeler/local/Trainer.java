package dev.plumb.labeler.local;

import dev.plumb.core.Hashing;
import dev.plumb.core.InputException;
import dev.plumb.labeler.policy.Category;
import dev.plumb.labeler.policy.Decision;
import dev.plumb.labeler.policy.Example;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.policy.Rule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains a {@link PolicyModel}: gathers the policy's training texts, embeds them, and fits an
 * ensemble of L2-regularised logistic regressions, one per penalty λ of a fixed grid (a text's
 * decision value also looks at its worst sentence window, see {@link PolicyModel#decision(double[],
 * double, float[], float[][])}; the windows of negative texts are extra negative rows). Stratified
 * cross-validation gives every member out-of-fold decision values, on which its Platt scaling is
 * fitted; the ensemble averages the members' calibrated log-odds, and a final Platt scaling is fitted
 * on the ensemble's out-of-fold values — so calibration is learned on texts the model did not see.
 * The members are then refitted on everything. With enough labeled texts ({@link #MIN_FOR_WORDS}) a
 * second ensemble of the same kind reads the texts' words ({@link Lexical}), and a text's decision
 * value is the mean of the two ensembles' calibrated log-odds.
 */
final class Trainer {
  /** λ grid, strongest first (warm starts go from simple to complex). */
  static final double[] LAMBDAS = {1e-1, 3e-2, 1e-2, 3e-3, 1e-3, 3e-4};
  /** λ when there is too little data to choose: moderate, tuned on the moderation set's folds. */
  static final double DEFAULT_LAMBDA = 1e-3;
  static final int MAX_FOLDS = 5;
  /** Below this many texts of the smaller class, λ is not tuned (the choice would be noise). */
  static final int MIN_FOR_TUNING = 10;
  /**
   * The word half is trained only when a labeled file gives the policy at least this many texts of
   * each class. A policy's own examples are a few texts by one author sharing her vocabulary: cross-
   * validation on them rates words highly, and on real texts the words then hurt (self_harm trained
   * on its examples, scored on 132 moderation texts: ROC-AUC 0.83 without words, 0.68 with).
   */
  static final int MIN_FOR_WORDS = 10;
  static final long SEED = 20261126L;
  /** Everyday texts every model learns as negatives (resource {@code background.txt}). */
  static final List<String> BACKGROUND = background();
  /** Digest of {@link #BACKGROUND}: part of every model's cache key. */
  static final String BACKGROUND_SHA256 = Hashing.sha256(String.join("\n", BACKGROUND));

  private Trainer() {}

  /**
   * The outcome of {@link #fitBinary}: the ensemble's members, the Platt scaling of its decision
   * value, the geometric mean of the members' λ, and each text's held-out decision value.
   */
  record BinaryFit(
      List<PolicyModel.Member> members, Lexical lexicon, List<PolicyModel.Member> words, Platt platt, double lambda, int folds,
      double cvRocAuc, double[] outOfFold) {
    /** Calibrated probability that a text is positive. */
    double probability(String text, float[] whole, float[][] windows) {
      return platt.probability(PolicyModel.decision(members, lexicon, words, text, whole, windows));
    }
  }

  /**
   * Fits the calibrated binary classifier on rows {@code x} (the embeddings of {@code texts}) with
   * labels {@code y}, with classes weighted to equal total weight; {@code words} adds the word half.
   *
   * @throws IllegalArgumentException when either class has fewer than 2 rows
   */
  static BinaryFit fitBinary(String[] texts, float[][] x, float[][][] windows, boolean[] y, boolean words, long seed) {
    int n = x.length;
    int positives = 0;
    for (boolean b : y) {
      positives += b ? 1 : 0;
    }
    int negatives = n - positives;
    int minority = Math.min(positives, negatives);
    if (minority < 2) {
      throw new IllegalArgumentException("need at least 2 texts of each class, found " + positives + " positive and " + negatives + " negative");
    }
    // Rows: every text's whole embedding, then each window of each negative text — a negative
    // text's sentences are negative too, which teaches the model that a long harmless text's
    // worst window is harmless. A text's windows share one text's weight; the classes are weighted
    // to equal total weight.
    List<float[]> rowX = new ArrayList<>(java.util.Arrays.asList(x));
    List<Integer> owner = new ArrayList<>();
    List<Double> share = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      owner.add(i);
      share.add(1.0);
    }
    for (int i = 0; i < n; i++) {
      if (!y[i] && windows[i] != null) {
        for (float[] w : windows[i]) {
          rowX.add(w);
          owner.add(i);
          share.add(1.0 / windows[i].length);
        }
      }
    }
    int rowsTotal = rowX.size();
    float[][] xa = rowX.toArray(float[][]::new);
    boolean[] ya = new boolean[rowsTotal];
    double[] c = new double[rowsTotal];
    double negativeWeight = 0;
    for (int r = 0; r < rowsTotal; r++) {
      ya[r] = y[owner.get(r)];
      negativeWeight += ya[r] ? 0 : share.get(r);
    }
    for (int r = 0; r < rowsTotal; r++) {
      c[r] = share.get(r) * (ya[r] ? rowsTotal / (2.0 * positives) : rowsTotal / (2.0 * negativeWeight));
    }
    int k = Math.min(MAX_FOLDS, minority);
    int[] fold = Folds.stratified(y, k, seed);
    int[] rowFold = new int[rowsTotal];
    for (int r = 0; r < rowsTotal; r++) {
      rowFold[r] = fold[owner.get(r)];
    }
    double[] lambdas = minority >= MIN_FOR_TUNING ? LAMBDAS : new double[] {DEFAULT_LAMBDA};
    // The words (when asked for): one row per text (windows are the embedding's business), classes
    // weighted to equal total weight. The vocabulary is built from every training text (no labels).
    Lexical lexicon = words ? Lexical.fit(java.util.Arrays.asList(texts)) : Lexical.NONE;
    boolean lexical = lexicon.size() > 0;
    Lexical.Row[] rows = new Lexical.Row[n];
    double[] cw = new double[n];
    for (int i = 0; i < n && lexical; i++) {
      rows[i] = lexicon.row(texts[i]);
      cw[i] = y[i] ? n / (2.0 * positives) : n / (2.0 * negatives);
    }
    LogisticRegression.Design wordRows = LogisticRegression.Design.sparse(rows, Math.max(1, lexicon.size()));
    double[][] oof = new double[lambdas.length][n];
    double[][] oofWords = new double[lambdas.length][n];
    for (int f = 0; f < k; f++) {
      int[] train = Folds.select(rowFold, f, false);
      int[] test = Folds.select(fold, f, true);
      double[] start = null;
      for (int l = 0; l < lambdas.length; l++) {
        LogisticRegression.Fit fit = LogisticRegression.fit(xa, ya, c, train, lambdas[l], start);
        start = LogisticRegression.start(fit);
        for (int i : test) {
          oof[l][i] = fit.decision(x[i], windows[i]);
        }
      }
      if (lexical) {
        int[] trainTexts = Folds.select(fold, f, false);
        start = null;
        for (int l = 0; l < lambdas.length; l++) {
          LogisticRegression.Fit fit = LogisticRegression.fit(wordRows, y, cw, trainTexts, lambdas[l], start);
          start = LogisticRegression.start(fit);
          for (int i : test) {
            oofWords[l][i] = Lexical.linear(fit.weights(), fit.bias(), rows[i]);
          }
        }
      }
    }
    // Every λ of the grid is a member (no selection: choosing one λ by inner CV was noisy and
    // worse, see docs/benchmarks.md); each is put on the log-odds scale by a Platt fit on its own
    // out-of-fold values, and the members' log-odds are averaged.
    // The words get the same grid and treatment; the text's decision value is the mean of the
    // embedding ensemble's and the word ensemble's log-odds (fixed equal weights, nothing learned:
    // a half that knows nothing has flat Platt scalings and only shifts the mean).
    List<PolicyModel.Member> members = new ArrayList<>();
    double[] ensemble = new double[n];
    double[] ensembleWords = new double[n];
    Platt[] platts = new Platt[lambdas.length];
    Platt[] plattsWords = new Platt[lambdas.length];
    for (int l = 0; l < lambdas.length; l++) {
      platts[l] = Platt.fit(oof[l], y);
      plattsWords[l] = lexical ? Platt.fit(oofWords[l], y) : null;
      for (int i = 0; i < n; i++) {
        ensemble[i] += platts[l].logit(oof[l][i]) / lambdas.length;
        if (lexical) {
          ensembleWords[i] += plattsWords[l].logit(oofWords[l][i]) / lambdas.length;
        }
      }
    }
    if (lexical) {
      for (int i = 0; i < n; i++) {
        ensemble[i] = (ensemble[i] + ensembleWords[i]) / 2;
      }
    }
    Platt platt = Platt.fit(ensemble, y);
    int[] all = new int[rowsTotal];
    for (int r = 0; r < rowsTotal; r++) {
      all[r] = r;
    }
    double[] start = null;
    double logLambda = 0;
    for (int l = 0; l < lambdas.length; l++) {
      LogisticRegression.Fit fit = LogisticRegression.fit(xa, ya, c, all, lambdas[l], start);
      start = LogisticRegression.start(fit);
      members.add(new PolicyModel.Member(lambdas[l], fit.weights(), fit.bias(), platts[l]));
      logLambda += Math.log(lambdas[l]) / lambdas.length;
    }
    List<PolicyModel.Member> wordMembers = new ArrayList<>();
    start = null;
    int[] allTexts = java.util.stream.IntStream.range(0, n).toArray();
    for (int l = 0; l < lambdas.length && lexical; l++) {
      LogisticRegression.Fit fit = LogisticRegression.fit(wordRows, y, cw, allTexts, lambdas[l], start);
      start = LogisticRegression.start(fit);
      wordMembers.add(new PolicyModel.Member(lambdas[l], fit.weights(), fit.bias(), plattsWords[l]));
    }
    return new BinaryFit(members, lexicon, wordMembers, platt, Math.exp(logLambda), k, Ranking.rocAuc(ensemble, y), ensemble);
  }

  /** Whether a labeled file's texts for a policy are enough for the word half ({@link #MIN_FOR_WORDS}). */
  static boolean readsWords(List<Sample> fromFile) {
    long positives = fromFile.stream().filter(Sample::positive).count();
    return positives >= MIN_FOR_WORDS && fromFile.size() - positives >= MIN_FOR_WORDS;
  }

  /**
   * The texts a policy trains on: its examples, its category definitions and includes (positive),
   * everyday background texts and its allowed contexts (negative), and the mapped rows of the
   * training file.
   */
  static List<Sample> samples(Policy policy, TrainingData data) {
    List<Sample> samples = new ArrayList<>();
    for (Example e : policy.examples()) {
      Decision d =
          policy.decision(e.decision())
              .orElseThrow(() -> new InputException(policy.key() + ": example " + e.id() + ": unknown decision \"" + e.decision() + "\""));
      if (d.positive()) {
        String text = View.whole(e.unit());
        if (!text.isBlank()) {
          samples.add(new Sample(e.id(), text, true, d.id(), e.category(), true));
        }
      } else {
        // a safe unit has no violating part: every text the classifier will read is negative
        for (View v : View.of(e.unit())) {
          samples.add(new Sample(e.id(), v.text(), false, d.id(), null, true));
        }
      }
    }
    List<Category> categories = policy.categories();
    for (int i = 0; i < categories.size(); i++) {
      Category c = categories.get(i);
      String at = Sample.POLICY + "categories[" + i + "]";
      samples.add(new Sample(at + ".definition", c.definition(), true, null, c.id(), false));
      for (int j = 0; j < c.includes().size(); j++) {
        samples.add(new Sample(at + ".includes[" + j + "]", c.includes().get(j), true, null, c.id(), false));
      }
    }
    for (int i = 0; i < BACKGROUND.size(); i++) {
      samples.add(new Sample("background:" + (i + 1), BACKGROUND.get(i), false, null, null, false));
    }
    List<Rule> allowed = policy.allowed();
    for (int i = 0; i < allowed.size(); i++) {
      samples.add(new Sample(Sample.POLICY + "allowed[" + i + "]", allowed.get(i).text(), false, null, null, false));
    }
    for (TrainingData.Mapping m : data.mappings(policy.id())) {
      if (m.category() != null && policy.category(m.category()).isEmpty()) {
        throw new InputException("--map " + m + ": policy " + policy.key() + " has no category \"" + m.category() + "\"");
      }
    }
    samples.addAll(data.samples(policy.id()));
    return samples;
  }

  /**
   * The model {@code plumb score --train} builds for {@code policy}: its own texts and the labeled
   * file's ({@link #samples}), embedded, then {@link #train}; the word half, and a fit on the file's
   * texts alone, when the file gives the policy enough texts of each class ({@link #readsWords}).
   * The one training path: {@link LocalClassifier} and the quality benchmark both call it.
   */
  static PolicyModel build(Policy policy, TrainingData training, Embedder embedder, String key) {
    List<Sample> samples = samples(policy, training);
    List<Features> fs = Features.of(embedder, samples.stream().map(Sample::text).toList());
    float[][] x = new float[fs.size()][];
    float[][][] w = new float[fs.size()][][];
    for (int i = 0; i < fs.size(); i++) {
      x[i] = fs.get(i).whole();
      w[i] = fs.get(i).windows();
    }
    return train(policy, key, training.fingerprint(policy.id()), embedder.modelId(), samples, x, w,
        readsWords(training.samples(policy.id())));
  }

  /**
   * Trains the model for {@code policy} from {@code samples}, their embeddings {@code x} and the
   * embeddings of their sentence windows.
   */
  static PolicyModel train(
      Policy policy, String key, String training, String embedding, List<Sample> samples, float[][] x, float[][][] windows,
      boolean words) {
    int n = samples.size();
    boolean[] y = new boolean[n];
    int positives = 0;
    for (int i = 0; i < n; i++) {
      y[i] = samples.get(i).positive();
      positives += y[i] ? 1 : 0;
    }
    if (positives < 2 || n - positives < 2) {
      throw new InputException(
          policy.key() + ": the local backend needs at least 2 positive and 2 negative training texts, found "
              + positives + " positive and " + (n - positives) + " negative;"
              + " add examples to the policy or a labeled file with --train FILE --map KEY=" + policy.id());
    }
    if (policy.decisions().stream().allMatch(Decision::positive)) {
      throw new InputException(policy.key() + ": the local backend needs a negative (non-violating) decision");
    }
    // With a labeled file large enough for the word half, the classifier is fitted on the file's
    // texts and the background, not on the policy's own texts: a few dozen texts by one author,
    // unlike real traffic in length, tone and vocabulary, cost harassment 0.015 ROC-AUC on held-out
    // moderation texts (docs/benchmarks.md, "The model --train builds"). They still give the decisions' and
    // categories' centroids and the nearest examples below.
    int[] fit = java.util.stream.IntStream.range(0, n).filter(i -> !words || !samples.get(i).policyOwn()).toArray();
    boolean[] yf = new boolean[fit.length];
    int fitPositives = 0;
    for (int j = 0; j < fit.length; j++) {
      yf[j] = y[fit[j]];
      fitPositives += yf[j] ? 1 : 0;
    }
    BinaryFit b = fitBinary(
        java.util.Arrays.stream(fit).mapToObj(i -> samples.get(i).text()).toArray(String[]::new),
        java.util.Arrays.stream(fit).mapToObj(i -> x[i]).toArray(float[][]::new),
        java.util.Arrays.stream(fit).mapToObj(i -> windows[i]).toArray(float[][][]::new), yf, words, SEED);
    String positiveDefault = policy.decisions().stream().filter(Decision::positive).findFirst().orElseThrow().id();
    String negativeDefault = policy.decisions().stream().filter(d -> !d.positive()).findFirst().orElseThrow().id();
    Map<String, List<float[]>> byDecision = new LinkedHashMap<>();
    Map<String, List<float[]>> byCategory = new LinkedHashMap<>();
    List<PolicyModel.Neighbour> neighbours = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Sample s = samples.get(i);
      if (s.decision() != null) {
        byDecision.computeIfAbsent(s.decision(), k -> new ArrayList<>()).add(x[i]);
      }
      if (s.positive() && s.category() != null && policy.category(s.category()).isPresent()) {
        byCategory.computeIfAbsent(s.category(), k -> new ArrayList<>()).add(x[i]);
      }
      if (s.example()) {
        neighbours.add(new PolicyModel.Neighbour(s.source(), s.decision(), s.positive(), x[i]));
      }
    }
    List<PolicyModel.Centroid> positiveDecisions = new ArrayList<>();
    List<PolicyModel.Centroid> negativeDecisions = new ArrayList<>();
    for (Decision d : policy.decisions()) {
      List<float[]> vs = byDecision.get(d.id());
      if (vs != null) {
        (d.positive() ? positiveDecisions : negativeDecisions).add(new PolicyModel.Centroid(d.id(), centroid(vs)));
      }
    }
    List<PolicyModel.Centroid> categories = new ArrayList<>();
    for (Category c : policy.categories()) {
      List<float[]> vs = byCategory.get(c.id());
      if (vs != null) {
        categories.add(new PolicyModel.Centroid(c.id(), centroid(vs)));
      }
    }
    return new PolicyModel(
        key, policy.key(), policy.sha256(), training, embedding, b.lambda(), b.folds(), b.cvRocAuc(),
        fitPositives, fit.length - fitPositives, (double) fitPositives / fit.length, b.members(), b.lexicon(), b.words(), b.platt(),
        positiveDefault, negativeDefault, positiveDecisions, negativeDecisions, categories, neighbours,
        CountThreshold.of(b.outOfFold(), yf));
  }

  private static List<String> background() {
    try (InputStream in = Trainer.class.getResourceAsStream("background.txt")) {
      if (in == null) {
        throw new IllegalStateException("background.txt is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("#"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The normalised mean of unit vectors. */
  static float[] centroid(List<float[]> vectors) {
    int d = vectors.get(0).length;
    double[] sum = new double[d];
    for (float[] v : vectors) {
      for (int k = 0; k < d; k++) {
        sum[k] += v[k];
      }
    }
    double norm = 0;
    for (double s : sum) {
      norm += s * s;
    }
    norm = Math.sqrt(norm);
    float[] out = new float[d];
    for (int k = 0; k < d; k++) {
      out[k] = (float) (norm > 0 ? sum[k] / norm : 0);
    }
    return out;
  }
}
