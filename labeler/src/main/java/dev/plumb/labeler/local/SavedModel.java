package dev.plumb.labeler.local;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.plumb.core.Json;
import java.util.List;

/**
 * A {@link PolicyModel} as its cache file ({@link PolicyModel#FORMAT}): keys are the components in
 * snake_case, in component order; vectors base64 little-endian ({@link PolicyModel#encode});
 * {@code cv_roc_auc} only when it could be computed. {@link PolicyModel#fromJson} reads it back.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record SavedModel(String format, String key, String policy, String policySha256, String training, String embedding,
    String classifier, double lambda, int folds, @JsonInclude(JsonInclude.Include.NON_NULL) Double cvRocAuc, int positives,
    int negatives, double prior, List<Member> members, Lexicon lexicon, List<Member> words, Platt platt,
    String positiveDecision, String negativeDecision, List<Vector> positiveDecisions, List<Vector> negativeDecisions,
    List<Vector> categories, List<Example> examples, Counts countThreshold) {

  static SavedModel of(PolicyModel m) {
    return new SavedModel(PolicyModel.FORMAT, m.key(), m.policy(), m.policySha256(), m.training(), m.embedding(),
        PolicyModel.CLASSIFIER, m.lambda(), m.folds(), Json.finite(m.cvRocAuc()), m.positives(), m.negatives(), m.prior(),
        m.members().stream().map(Member::of).toList(),
        new Lexicon(PolicyModel.encode(m.lexicon().grams()), PolicyModel.encode(m.lexicon().idf())),
        m.words().stream().map(Member::of).toList(), new Platt(m.platt().a(), m.platt().b()), m.positiveDecision(),
        m.negativeDecision(), Vector.of(m.positiveDecisions()), Vector.of(m.negativeDecisions()), Vector.of(m.categories()),
        m.examples().stream().map(n -> new Example(n.id(), n.decision(), n.positive(), PolicyModel.encode(n.vector()))).toList(),
        new Counts(PolicyModel.encode(m.counts().positives()), PolicyModel.encode(m.counts().negatives())));
  }

  /** A regression of the ensemble: its penalty, coefficients, bias and own Platt scaling. */
  record Member(double lambda, String weights, double bias, Platt platt) {
    static Member of(PolicyModel.Member m) {
      return new Member(m.lambda(), PolicyModel.encode(m.weights()), m.bias(), new Platt(m.platt().a(), m.platt().b()));
    }
  }

  /** Platt scaling: probability = 1 / (1 + exp(a f + b)) of a decision value f. */
  record Platt(double a, double b) {}

  /** The word vocabulary: hashed grams and their idf weights. */
  record Lexicon(String grams, String idf) {}

  /** A centroid: its decision or category id and its vector. */
  record Vector(String id, String vector) {
    static List<Vector> of(List<PolicyModel.Centroid> centroids) {
      return centroids.stream().map(c -> new Vector(c.id(), PolicyModel.encode(c.vector()))).toList();
    }
  }

  /** A policy example's embedding, for "nearest examples" in rationales. */
  record Example(String id, String decision, boolean positive, String vector) {}

  /** The out-of-fold decision values per class ({@link CountThreshold}). */
  record Counts(String positives, String negatives) {}
}
