package dev.plumb.labeler.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.Json;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A trained local model for one policy version: the logistic regressions on embeddings and on the
 * text's words ({@link Lexical}), their Platt calibrations, and the centroids that pick a decision
 * and a category. Saved as JSON in the model
 * cache (vectors as base64 little-endian floats) and reloaded as long as the policy, the training
 * data and the embedding model are unchanged.
 *
 * @param key the cache key: a digest of policy sha256, training fingerprint, embedding model and
 *     classifier version
 * @param policy {@code id@version}
 * @param policySha256 the policy version's content digest
 * @param training the training data fingerprint ({@code none} without a training file)
 * @param embedding the embedding model id
 * @param lambda the geometric mean of the members' L2 penalties (for display)
 * @param folds cross-validation folds used for the members' and the final Platt fits
 * @param cvRocAuc pooled out-of-fold ROC-AUC of the ensemble (NaN when not computable)
 * @param prior share of positives among the training texts
 * @param members the regressions on embeddings, one per λ
 * @param lexicon the word vocabulary ({@code grams} empty when the training texts share no words)
 * @param words the regressions on the words, one per λ (empty, with an empty vocabulary, when the
 *     model learned from the policy's examples alone or too few labeled texts)
 * @param positiveDecision the positive decision used when no centroid applies
 * @param negativeDecision the negative decision used when no centroid applies
 * @param counts the out-of-fold decision values per class, for the threshold at which counting
 *     positives is unbiased at a declared prevalence ({@link CountThreshold})
 */
record PolicyModel(
    String key,
    String policy,
    String policySha256,
    String training,
    String embedding,
    double lambda,
    int folds,
    double cvRocAuc,
    int positives,
    int negatives,
    double prior,
    List<Member> members,
    Lexical lexicon,
    List<Member> words,
    Platt platt,
    String positiveDecision,
    String negativeDecision,
    List<Centroid> positiveDecisions,
    List<Centroid> negativeDecisions,
    List<Centroid> categories,
    List<Neighbour> examples,
    CountThreshold counts) {

  static final String FORMAT = "plumb.local-model/4";
  /** Changes whenever training or prediction changes meaning; part of every cache key. */
  static final String CLASSIFIER = "logreg-l2-ensemble+negative-windows+words-tfidf-from-10-labeled+file-only-fit+platt/5";

  /**
   * One logistic regression of the ensemble: its penalty, coefficients and the Platt scaling of its
   * own out-of-fold decision values, which puts every member on the log-odds scale.
   */
  record Member(double lambda, double[] weights, double bias, Platt platt) {
    /** The member's calibrated log-odds for a text. */
    double logit(float[] whole, float[][] windows) {
      return platt.logit(decision(weights, bias, whole, windows));
    }

    /** A word member's calibrated log-odds for a text's tf-idf row. */
    double logit(Lexical.Row words) {
      return platt.logit(Lexical.linear(weights, bias, words));
    }
  }

  /** A labeled direction in embedding space: the normalised mean of its texts' embeddings. */
  record Centroid(String id, float[] vector) {}

  /** A policy example's embedding, for "nearest examples" in rationales. */
  record Neighbour(String id, String decision, boolean positive, float[] vector) {}

  PolicyModel {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(platt, "platt");
    Objects.requireNonNull(counts, "counts");
    members = List.copyOf(members);
    words = List.copyOf(words);
    Objects.requireNonNull(lexicon, "lexicon");
    if (members.isEmpty()) {
      throw new IllegalArgumentException("a model needs at least one member");
    }
    positiveDecisions = List.copyOf(positiveDecisions);
    negativeDecisions = List.copyOf(negativeDecisions);
    categories = List.copyOf(categories);
    examples = List.copyOf(examples);
  }

  static double linear(double[] weights, double bias, float[] x) {
    double z = bias;
    for (int k = 0; k < weights.length; k++) {
      z += weights[k] * x[k];
    }
    return z;
  }

  /**
   * The calibrated probability at or above which counting positives is unbiased at {@code
   * prevalence}: expected false positives equal expected misses ({@link CountThreshold}).
   */
  double countThreshold(double prevalence) {
    return platt.probability(counts.at(prevalence));
  }

  /**
   * A text's decision value: the mean over the embedding members of their calibrated log-odds,
   * averaged with the same mean over the word members when there are any.
   */
  double decision(String text, float[] whole, float[][] windows) {
    return decision(members, lexicon, words, text, whole, windows);
  }

  static double decision(List<Member> members, Lexical lexicon, List<Member> words, String text, float[] whole, float[][] windows) {
    double sum = 0;
    for (Member m : members) {
      sum += m.logit(whole, windows);
    }
    double embedding = sum / members.size();
    if (words.isEmpty()) {
      return embedding;
    }
    Lexical.Row row = lexicon.row(text);
    double w = 0;
    for (Member m : words) {
      w += m.logit(row);
    }
    return (embedding + w / words.size()) / 2;
  }

  /**
   * One regression's decision value for a text: g(whole) for a short text; for a long one, the
   * mean of g(whole) and the largest g over its sentence windows, so that one bad sentence counts.
   */
  static double decision(double[] weights, double bias, float[] whole, float[][] windows) {
    double g = linear(weights, bias, whole);
    if (windows == null || windows.length == 0) {
      return g;
    }
    double worst = Double.NEGATIVE_INFINITY;
    for (float[] w : windows) {
      worst = Math.max(worst, linear(weights, bias, w));
    }
    return (g + worst) / 2;
  }

  /** Calibrated probability that a text is positive. */
  double probability(String text, float[] whole, float[][] windows) {
    return platt.probability(decision(text, whole, windows));
  }

  /** The id of the centroid most similar (cosine) to {@code x}, or {@code fallback} when there is none. */
  static String nearest(List<Centroid> centroids, float[] x, String fallback) {
    String best = fallback;
    double bestSim = Double.NEGATIVE_INFINITY;
    for (Centroid c : centroids) {
      double sim = cosine(c.vector(), x);
      if (sim > bestSim) {
        bestSim = sim;
        best = c.id();
      }
    }
    return best;
  }

  /** Cosine similarity; the vectors are unit length, so this is their dot product. */
  static double cosine(float[] a, float[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      s += (double) a[k] * b[k];
    }
    return s;
  }

  /** The model as its cache file: a {@link SavedModel}. */
  ObjectNode toJson() {
    return Json.tree(SavedModel.of(this));
  }

  /** Parses a saved model; throws {@link IllegalArgumentException} on anything unexpected. */
  static PolicyModel fromJson(JsonNode o) {
    if (!FORMAT.equals(o.path("format").asText()) || !CLASSIFIER.equals(o.path("classifier").asText())) {
      throw new IllegalArgumentException("not a " + FORMAT + " " + CLASSIFIER + " model");
    }
    JsonNode lexicon = o.path("lexicon");
    List<Neighbour> examples = new ArrayList<>();
    for (JsonNode n : o.path("examples")) {
      examples.add(new Neighbour(text(n, "id"), text(n, "decision"), n.path("positive").asBoolean(), floats(text(n, "vector"))));
    }
    return new PolicyModel(
        text(o, "key"),
        text(o, "policy"),
        text(o, "policy_sha256"),
        text(o, "training"),
        text(o, "embedding"),
        number(o, "lambda"),
        o.path("folds").asInt(),
        o.has("cv_roc_auc") ? number(o, "cv_roc_auc") : Double.NaN,
        o.path("positives").asInt(),
        o.path("negatives").asInt(),
        number(o, "prior"),
        members(o.path("members")),
        new Lexical(longs(text(lexicon, "grams")), doubles(text(lexicon, "idf"))),
        members(o.path("words")),
        new Platt(number(o.path("platt"), "a"), number(o.path("platt"), "b")),
        text(o, "positive_decision"),
        text(o, "negative_decision"),
        centroids(o.path("positive_decisions")),
        centroids(o.path("negative_decisions")),
        centroids(o.path("categories")),
        examples,
        new CountThreshold(doubles(text(o.path("count_threshold"), "positives")),
            doubles(text(o.path("count_threshold"), "negatives"))));
  }

  private static List<Member> members(JsonNode a) {
    List<Member> out = new ArrayList<>();
    for (JsonNode m : a) {
      out.add(new Member(number(m, "lambda"), doubles(text(m, "weights")), number(m, "bias"),
          new Platt(number(m.path("platt"), "a"), number(m.path("platt"), "b"))));
    }
    return out;
  }

  private static List<Centroid> centroids(JsonNode a) {
    List<Centroid> out = new ArrayList<>();
    for (JsonNode c : a) {
      out.add(new Centroid(text(c, "id"), floats(text(c, "vector"))));
    }
    return out;
  }

  private static String text(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("missing " + field);
    }
    return v.asText();
  }

  private static double number(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || !v.isNumber()) {
      throw new IllegalArgumentException("missing " + field);
    }
    return v.doubleValue();
  }

  static String encode(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return Base64.getEncoder().encodeToString(b.array());
  }

  static String encode(double[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.asDoubleBuffer().put(v);
    return Base64.getEncoder().encodeToString(b.array());
  }

  static String encode(long[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.asLongBuffer().put(v);
    return Base64.getEncoder().encodeToString(b.array());
  }

  static long[] longs(String base64) {
    ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
    long[] v = new long[b.remaining() / Long.BYTES];
    b.asLongBuffer().get(v);
    return v;
  }

  static float[] floats(String base64) {
    ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
    float[] v = new float[b.remaining() / Float.BYTES];
    b.asFloatBuffer().get(v);
    return v;
  }

  static double[] doubles(String base64) {
    ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
    double[] v = new double[b.remaining() / Double.BYTES];
    b.asDoubleBuffer().get(v);
    return v;
  }
}
