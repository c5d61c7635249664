package dev.plumb.calibration.scores;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.core.AtomicOutput;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.Problem;
import dev.plumb.core.scores.Isotonic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A calibration map of one policy's label scores to probabilities, fitted on gold by {@link
 * Recalibration} and written as {@code plumb.score-map/1} (docs/formats.md "Score calibration map").
 * Immutable and thread-safe.
 */
public final class ScoreMap {

  /** The format of a map file. */
  public static final String FORMAT = "plumb.score-map/1";

  /** Platt's scores are clipped into [EPS, 1 − EPS] before the log-odds. */
  static final double EPS = 1e-6;

  private final String policy;
  private final Recalibration method;
  private final Isotonic curve;
  private final double a;
  private final double b;

  private ScoreMap(String policy, Recalibration method, Isotonic curve, double a, double b) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.method = Objects.requireNonNull(method, "method");
    this.curve = curve;
    this.a = a;
    this.b = b;
  }

  static ScoreMap isotonic(String policy, double[] scores, double[] probabilities) {
    // steps already monotone with distinct scores: the fit reproduces them exactly
    return new ScoreMap(policy, Recalibration.ISOTONIC, Isotonic.fit(scores, probabilities, null), Double.NaN, Double.NaN);
  }

  static ScoreMap platt(String policy, double a, double b) {
    return new ScoreMap(policy, Recalibration.PLATT, null, a, b);
  }

  /** The policy key whose scores it maps, e.g. {@code self_harm@2}: valid for that version's labels only. */
  public String policy() {
    return policy;
  }

  /** How it was fitted. */
  public Recalibration method() {
    return method;
  }

  /** Isotonic: the fitted scores, strictly increasing (empty for Platt). */
  public double[] scores() {
    return curve == null ? new double[0] : curve.scores();
  }

  /** Isotonic: the probability at each of {@link #scores()}, non-decreasing, in [0, 1] (empty for Platt). */
  public double[] probabilities() {
    return curve == null ? new double[0] : curve.values();
  }

  /** Platt's intercept (NaN for isotonic). */
  public double a() {
    return a;
  }

  /** Platt's slope on logit s (NaN for isotonic). */
  public double b() {
    return b;
  }

  /** The probability of a unit with label score {@code s} in [0, 1]. */
  public double apply(double s) {
    if (!(s >= 0 && s <= 1)) {
      throw new IllegalArgumentException("score is not in [0, 1]: " + s);
    }
    return switch (method) {
      case ISOTONIC -> curve.apply(s);
      case PLATT -> 1 / (1 + Math.exp(-(a + b * logit(s))));
    };
  }

  /** The file name {@code plumb calibrate --recalibrate-scores} writes a policy's map under: {@code score-map.<key>.json}. */
  public static String fileName(String policy) {
    return "score-map." + policy + ".json";
  }

  /** log(s/(1 − s)), a score at 0 or 1 held {@link #EPS} inside. */
  public static double logit(double s) {
    double c = Math.min(1 - EPS, Math.max(EPS, s));
    return Math.log(c / (1 - c));
  }

  /**
   * {a, b} of the weighted logistic regression of {@code y} on logit(s), by Newton–Raphson from
   * (logit of the weighted mean, 1).
   *
   * @throws IllegalArgumentException when it does not converge (gold all one way, or the score
   *     separates gold perfectly: the slope runs to infinity)
   */
  static double[] logistic(double[] s, double[] y, double[] w) {
    int n = s.length;
    double[] x = new double[n];
    double sw = 0;
    double swy = 0;
    for (int i = 0; i < n; i++) {
      x[i] = logit(s[i]);
      sw += w[i];
      swy += w[i] * y[i];
    }
    double mean = swy / sw;
    if (mean <= 0 || mean >= 1) {
      throw new IllegalArgumentException("Platt scaling needs gold positives and negatives among the scored units");
    }
    // one covariate: the MLE does not exist when the scores separate gold (b runs to ±∞)
    double maxNeg = Double.NEGATIVE_INFINITY;
    double minNeg = Double.POSITIVE_INFINITY;
    double maxPos = Double.NEGATIVE_INFINITY;
    double minPos = Double.POSITIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      if (y[i] > 0) {
        maxPos = Math.max(maxPos, x[i]);
        minPos = Math.min(minPos, x[i]);
      }
      if (y[i] < 1) {
        maxNeg = Math.max(maxNeg, x[i]);
        minNeg = Math.min(minNeg, x[i]);
      }
    }
    if (maxNeg <= minPos || maxPos <= minNeg) {
      throw new IllegalArgumentException(
          "Platt scaling did not converge: the scores separate gold perfectly (use isotonic)");
    }
    double a = Math.log(mean / (1 - mean));
    double b = 0;
    double ll = logLikelihood(x, y, w, a, b);
    for (int it = 0; it < 200; it++) {
      double g0 = 0;
      double g1 = 0;
      double h00 = 0;
      double h01 = 0;
      double h11 = 0;
      for (int i = 0; i < n; i++) {
        double p = 1 / (1 + Math.exp(-(a + b * x[i])));
        double r = w[i] * (y[i] - p);
        double v = w[i] * p * (1 - p);
        g0 += r;
        g1 += r * x[i];
        h00 += v;
        h01 += v * x[i];
        h11 += v * x[i] * x[i];
      }
      double det = h00 * h11 - h01 * h01;
      if (!(det > 0) || Math.abs(b) > 1e3) {
        break;
      }
      double da = (h11 * g0 - h01 * g1) / det;
      double db = (h00 * g1 - h01 * g0) / det;
      // damped Newton: halve the step until the likelihood does not fall (it is concave)
      double t = 1;
      double next = logLikelihood(x, y, w, a + da, b + db);
      while (next < ll && t > 1e-10) {
        t /= 2;
        next = logLikelihood(x, y, w, a + t * da, b + t * db);
      }
      a += t * da;
      b += t * db;
      boolean done = Math.abs(t * da) + Math.abs(t * db) < 1e-10 * (1 + Math.abs(a) + Math.abs(b));
      ll = next;
      if (done && Math.abs(b) <= 1e3) {
        return new double[] {a, b};
      }
    }
    throw new IllegalArgumentException(
        "Platt scaling did not converge: the scores separate gold perfectly (use isotonic)");
  }

  private static double logLikelihood(double[] x, double[] y, double[] w, double a, double b) {
    double ll = 0;
    for (int i = 0; i < x.length; i++) {
      double eta = a + b * x[i];
      // log σ(η) = −log(1 + e^−η), written to stay finite for large |η|
      double logP = -Math.log1p(Math.exp(-Math.abs(eta))) + Math.min(0, eta);
      double logQ = -Math.log1p(Math.exp(-Math.abs(eta))) + Math.min(0, -eta);
      ll += w[i] * (y[i] * logP + (1 - y[i]) * logQ);
    }
    return ll;
  }

  /**
   * Writes the map to {@code path} atomically as {@code plumb.score-map/1}.
   *
   * @param fittedOn what it was fitted on ({@code labels}, {@code gold}: path and sha256; {@code units},
   *     {@code positives}, {@code weights}), copied into the file as {@code fitted_on}
   * @param createdBy the tool's version line
   */
  public void write(Path path, ObjectNode fittedOn, String createdBy) {
    ObjectNode o = Json.object();
    o.put("format", FORMAT);
    o.put("policy", policy);
    o.put("method", method.id());
    if (method == Recalibration.ISOTONIC) {
      ArrayNode points = o.putArray("points");
      double[] scores = curve.scores();
      double[] probabilities = curve.values();
      for (int i = 0; i < scores.length; i++) {
        points.addObject().put("score", scores[i]).put("probability", probabilities[i]);
      }
    } else {
      o.putObject("platt").put("a", a).put("b", b);
    }
    o.set("fitted_on", fittedOn);
    o.put("created_by", createdBy);
    AtomicOutput.write(path, Json.pretty(o) + "\n");
  }

  /**
   * Reads a map file, checking its format: {@code format} {@code plumb.score-map/1}, a non-empty
   * string {@code policy}, {@code method} {@code isotonic} with at least one {@code points} entry
   * ({@code score} strictly increasing in [0, 1], {@code probability} non-decreasing in [0, 1]) or
   * {@code platt} with finite {@code platt.a} and {@code platt.b}.
   *
   * @throws InputException {@code file:line: field: message} (the line of the top-level field) for
   *     the first problem
   */
  public static ScoreMap read(Path path) {
    String source = path.toString();
    JsonNode root = Json.read(path, "invalid JSON");
    Map<String, Integer> lines = fieldLines(path);
    if (!root.isObject()) {
      throw new InputException(Problem.at(source, 1, "", "expected a JSON object (" + FORMAT + ")"));
    }
    if (!FORMAT.equals(root.path("format").asText(null))) {
      throw new InputException(Problem.at(source, lines.getOrDefault("format", 1), "format",
          "expected \"" + FORMAT + "\", found " + found(root.get("format"))));
    }
    JsonNode p = root.get("policy");
    if (p == null || !p.isTextual() || p.asText().isEmpty()) {
      throw new InputException(Problem.at(source, lines.getOrDefault("policy", 1), "policy",
          "expected a policy key such as \"self_harm@2\", found " + found(p)));
    }
    String policy = p.asText();
    JsonNode m = root.get("method");
    Recalibration method = m != null && m.isTextual() ? Recalibration.parse(m.asText()) : null;
    if (method == null) {
      throw new InputException(Problem.at(source, lines.getOrDefault("method", 1), "method",
          "expected \"isotonic\" or \"platt\", found " + found(m)));
    }
    if (method == Recalibration.PLATT) {
      JsonNode platt = root.path("platt");
      int line = lines.getOrDefault("platt", 1);
      for (String f : new String[] {"a", "b"}) {
        if (!platt.path(f).isNumber()) {
          throw new InputException(Problem.at(source, line, "platt." + f, "expected a number, found "
              + found(platt.get(f))));
        }
      }
      return platt(policy, platt.get("a").asDouble(), platt.get("b").asDouble());
    }
    JsonNode points = root.get("points");
    int line = lines.getOrDefault("points", 1);
    if (points == null || !points.isArray() || points.isEmpty()) {
      throw new InputException(Problem.at(source, line, "points", "expected a non-empty array of {score, probability}"));
    }
    double[] s = new double[points.size()];
    double[] q = new double[points.size()];
    for (int i = 0; i < s.length; i++) {
      JsonNode pt = points.get(i);
      for (String f : new String[] {"score", "probability"}) {
        JsonNode v = pt.get(f);
        if (v == null || !v.isNumber() || !(v.asDouble() >= 0 && v.asDouble() <= 1)) {
          throw new InputException(Problem.at(source, line, "points[" + i + "]." + f,
              "expected a number in [0, 1], found " + found(v)));
        }
      }
      s[i] = pt.get("score").asDouble();
      q[i] = pt.get("probability").asDouble();
      if (i > 0 && !(s[i] > s[i - 1])) {
        throw new InputException(Problem.at(source, line, "points[" + i + "].score",
            "scores must increase: " + s[i] + " after " + s[i - 1]));
      }
      if (i > 0 && q[i] < q[i - 1]) {
        throw new InputException(Problem.at(source, line, "points[" + i + "].probability",
            "an isotonic map never decreases: " + q[i] + " after " + q[i - 1]));
      }
    }
    return isotonic(policy, s, q);
  }

  private static String found(JsonNode v) {
    return v == null ? "nothing" : v.isValueNode() && !v.isNull() ? v.toString() : Json.describe(v);
  }

  /** The line of top-level {@code field} in a map file (1 when it is not there). */
  static int fieldLine(Path path, String field) {
    return fieldLines(path).getOrDefault(field, 1);
  }

  /** The line of each top-level field of a JSON object file (1 for a field not found). */
  private static Map<String, Integer> fieldLines(Path path) {
    Map<String, Integer> out = new HashMap<>();
    try (JsonParser parser = Json.mapper().getFactory().createParser(Files.newBufferedReader(path))) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return out;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        out.putIfAbsent(parser.currentName(), parser.currentLocation().getLineNr());
        parser.nextToken();
        parser.skipChildren();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
