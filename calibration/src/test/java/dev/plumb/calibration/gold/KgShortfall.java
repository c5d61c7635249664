package dev.plumb.calibration.gold;

import dev.plumb.calibration.corrected.Corrected;
import dev.plumb.calibration.corrected.GoldUnit;
import dev.plumb.calibration.corrected.SkewCorrection;
import dev.plumb.calibration.corrected.TwoPhaseSample;
import dev.plumb.calibration.estimate.DesignSample;
import dev.plumb.calibration.synthetic.SimulatedPopulation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Why Korn–Graubard with the truth as gold under-covers at 3% (docs/calibration.md, "Korn–Graubard at 3%"):
 * per replicate, human-only's P̂ split into its phase-1 part P̂1 = Σ_S d1 m y / Σ_S d1 m (the truth known on
 * all of S) and its phase-2 part P̂ − P̂1, beside the estimator's V1 and V2; and what the missed replicates
 * have in common. Printed by {@code bench/gold-coverage.sh} with {@code PLUMB_GOLD_SHORTFALL=1}.
 */
final class KgShortfall {
  /** One replicate's facts; skewness and covariance are {@link SkewCorrection#moments}'s Â and B̂. */
  record Row(double estimate, double phase1, double v1, double v2, boolean low, boolean high, boolean seen,
      double heaviestShare, double unseenShare, double heaviestPi1, double skewness, double covariance) {}

  final List<Row> rows = new ArrayList<>();

  /** One replicate: the sample, the truth-as-gold sample and its Korn–Graubard estimate. */
  void add(SimulatedPopulation population, DesignSample sample, TwoPhaseSample truth, List<GoldUnit> gold,
      Corrected kg, double target) {
    if (!(kg instanceof Corrected.Estimated e)) {
      return;
    }
    double num = 0;
    double den = 0;
    double unseen = 0;
    Set<String> reviewed = new HashSet<>();
    gold.forEach(g -> reviewed.add(g.unit()));
    for (int j = 0; j < sample.size(); j++) {
      String id = sample.units().get(j).id();
      int i = Integer.parseInt(id.substring(1));
      double t = sample.designWeight(j) * sample.exposure(j);
      den += t;
      if (population.y[i]) {
        num += t;
        unseen += reviewed.contains(id) ? 0 : t;
      }
    }
    double swy = 0;
    double heaviest = 0;
    double heaviestPi1 = 1;
    for (GoldUnit g : gold) {
      if (g.positive()) {
        int j = sample.indexOf(g.unit()).getAsInt();
        double w = sample.exposure(j) * sample.designWeight(j) / g.pi();
        swy += w;
        if (w > heaviest) {
          heaviest = w;
          heaviestPi1 = 1 / sample.designWeight(j);
        }
      }
    }
    boolean seen = gold.stream().anyMatch(g -> g.positive() && g.stratum().startsWith("llm_negative"));
    double[] ab = SkewCorrection.moments(truth, e.estimate());
    rows.add(new Row(e.estimate(), num / den, e.details().get("variance_phase1"), e.details().get("variance_phase2"),
        e.interval().upper() < target, e.interval().lower() > target, seen, swy > 0 ? heaviest / swy : 0,
        num > 0 ? unseen / num : 0, Math.min(1, heaviestPi1), ab[0], ab[1]));
  }

  /** The summary lines. */
  String lines(double target) {
    int n = rows.size();
    double[] p = rows.stream().mapToDouble(Row::estimate).toArray();
    double[] p1 = rows.stream().mapToDouble(Row::phase1).toArray();
    double[] p2 = rows.stream().mapToDouble(r -> r.estimate() - r.phase1()).toArray();
    double v1 = rows.stream().mapToDouble(Row::v1).average().orElse(0);
    double v2 = rows.stream().mapToDouble(Row::v2).average().orElse(0);
    double[] v = rows.stream().mapToDouble(r -> Math.max(0, r.v1()) + Math.max(0, r.v2())).toArray();
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "  shortfall: %d replicates; √mean V̂/SD(P̂) %.3f; √mean V1/SD(P̂1) %.3f; "
        + "√mean V2/SD(P̂−P̂1) %.3f; var(P̂1) %.3g var(P̂−P̂1) %.3g 2cov %.3g; mean V1 %.3g V2 %.3g%n", n,
        Math.sqrt(mean(v) / var(p)), Math.sqrt(v1 / var(p1)), Math.sqrt(v2 / var(p2)), var(p1), var(p2),
        var(p) - var(p1) - var(p2), v1, v2));
    out.append(String.format(Locale.ROOT, "  shortfall: skewness of P̂ over replicates %.2f (P̂1 %.2f, P̂−P̂1 %.2f), mean Â %.2f; "
        + "Cov(P̂, V̂)/SD(P̂)³ %.2f, mean B̂ %.2f; corr(P̂, SE) %.2f; relative bias P̂ %+.1f%%, P̂1 %+.1f%%%n", skew(p),
        skew(p1), skew(p2), rows.stream().mapToDouble(Row::skewness).average().orElse(0),
        cov(p, v) / Math.pow(var(p), 1.5), rows.stream().mapToDouble(Row::covariance).average().orElse(0), corr(p, Arrays.stream(v).map(Math::sqrt)
            .toArray()), 100 * (mean(p) / target - 1), 100 * (mean(p1) / target - 1)));
    // the same Wald interval on the replicates' own SE and on the SE every replicate should have had (their SD):
    // if the second covers and the first does not, the misses come from SE moving with P̂, not from its level
    double z = 1.959963984540054;
    double sd = Math.sqrt(var(p));
    long ownSe = rows.stream().filter(r -> Math.abs(r.estimate() - target)
        <= z * Math.sqrt(Math.max(0, r.v1()) + Math.max(0, r.v2()))).count();
    long fixedSe = rows.stream().filter(r -> Math.abs(r.estimate() - target) <= z * sd).count();
    out.append(String.format(Locale.ROOT, "  shortfall: P̂ ± z SE covers %.3f; P̂ ± z SD(P̂) (one SE for all) covers %.3f%n",
        ownSe / (double) n, fixedSe / (double) n));
    for (String part : new String[] {"missed below", "missed above", "covered"}) {
      List<Row> rs = rows.stream().filter(r -> part.equals("missed below") ? r.low() : part.equals("missed above")
          ? r.high() : !r.low() && !r.high()).toList();
      if (rs.isEmpty()) {
        out.append("  shortfall: ").append(part).append(": none\n");
        continue;
      }
      out.append(String.format(Locale.ROOT, "  shortfall: %s %d: (P̂1−P)/P %+.1f%%, (P̂−P̂1)/P %+.1f%%, SE/P %.1f%%, "
          + "llm_negative review saw a violation %d, heaviest gold positive's share of Σwy %.2f (π1 %.2f), "
          + "violations in S not reviewed: share of S's violating exposure %.2f, Â %.2f, B̂ %.2f%n", part, rs.size(),
          100 * (rs.stream().mapToDouble(Row::phase1).average().orElse(0) / target - 1),
          100 * rs.stream().mapToDouble(r -> r.estimate() - r.phase1()).average().orElse(0) / target,
          100 * rs.stream().mapToDouble(r -> Math.sqrt(Math.max(0, r.v1()) + Math.max(0, r.v2()))).average().orElse(0)
              / target,
          rs.stream().filter(Row::seen).count(), rs.stream().mapToDouble(Row::heaviestShare).average().orElse(0),
          rs.stream().mapToDouble(Row::heaviestPi1).average().orElse(0),
          rs.stream().mapToDouble(Row::unseenShare).average().orElse(0),
          rs.stream().mapToDouble(Row::skewness).average().orElse(0),
          rs.stream().mapToDouble(Row::covariance).average().orElse(0)));
    }
    return out.toString();
  }

  private static double mean(double[] x) {
    return Arrays.stream(x).average().orElse(0);
  }

  private static double var(double[] x) {
    double m = mean(x);
    return Arrays.stream(x).map(a -> (a - m) * (a - m)).sum() / (x.length - 1);
  }

  private static double skew(double[] x) {
    double m = mean(x);
    double s = Math.sqrt(var(x));
    return Arrays.stream(x).map(a -> Math.pow((a - m) / s, 3)).sum() / x.length;
  }

  private static double cov(double[] x, double[] y) {
    double mx = mean(x);
    double my = mean(y);
    double c = 0;
    for (int k = 0; k < x.length; k++) {
      c += (x[k] - mx) * (y[k] - my);
    }
    return c / (x.length - 1);
  }

  private static double corr(double[] x, double[] y) {
    return cov(x, y) / Math.sqrt(var(x) * var(y));
  }
}
