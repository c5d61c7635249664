package dev.plumb.calibration.quality;

import dev.plumb.calibration.agreement.Agreement;
import java.util.ArrayList;
import java.util.List;

/**
 * The LLM against gold over every decision the policy defines, not only positive against negative:
 * a labeler that calls most safe units "borderline" has perfect sensitivity and specificity (both
 * are negative) and is still wrong on most units.
 *
 * <p>Exact agreement is the (weighted) share of units whose LLM decision equals the gold decision;
 * per decision d, recall is the share of gold-d units the LLM called d and precision the share of
 * LLM-d units gold called d (one-vs-rest, as sklearn's {@code classification_report} with
 * {@code sample_weight}); κ is Cohen's κ on the full decision × decision table (Cohen 1960).
 * Rates carry Wilson intervals on Kish's effective n, as every {@link Rate}.
 *
 * @param exact the share of units on which the LLM's decision equals gold's
 * @param kappa Cohen's κ over all decisions; NaN when undefined
 * @param decisions per decision, in the policy's order
 */
public record DecisionAgreement(Rate exact, double kappa, List<PerDecision> decisions) {
  public DecisionAgreement {
    decisions = List.copyOf(decisions);
  }

  /**
   * One decision, one-vs-rest.
   *
   * @param decision the decision id
   * @param positive whether it counts toward prevalence
   * @param gold (weighted) units gold gave this decision
   * @param llm (weighted) units the LLM gave this decision
   * @param recall of the gold-d units, the share the LLM called d
   * @param precision of the LLM-d units, the share gold called d
   */
  public record PerDecision(String decision, boolean positive, double gold, double llm, Rate recall, Rate precision) {}

  static DecisionAgreement of(List<Judgement> judgements, DecisionScheme scheme, boolean weighted, double level) {
    int q = scheme.decisions().size();
    Rate.Tally exact = new Rate.Tally();
    Rate.Tally[] recall = new Rate.Tally[q];
    Rate.Tally[] precision = new Rate.Tally[q];
    double[] gold = new double[q];
    double[] llm = new double[q];
    double[][] table = new double[q][q];
    for (int k = 0; k < q; k++) {
      recall[k] = new Rate.Tally();
      precision[k] = new Rate.Tally();
    }
    for (Judgement j : judgements) {
      double w = weighted ? j.weight() : 1;
      int g = scheme.indexOf(j.goldDecision());
      int l = scheme.indexOf(j.llmDecision());
      exact.add(w, g == l);
      recall[g].add(w, g == l);
      precision[l].add(w, g == l);
      gold[g] += w;
      llm[l] += w;
      table[g][l] += w;
    }
    List<PerDecision> per = new ArrayList<>();
    for (int k = 0; k < q; k++) {
      per.add(new PerDecision(scheme.decisions().get(k), scheme.positive().get(k), gold[k], llm[k],
          recall[k].rate(level), precision[k].rate(level)));
    }
    double kappa = judgements.isEmpty() ? Double.NaN : Agreement.cohen(table, level).kappa();
    return new DecisionAgreement(exact.rate(level), kappa, per);
  }
}
