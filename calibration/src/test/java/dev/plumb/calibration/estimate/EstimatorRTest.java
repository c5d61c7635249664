package dev.plumb.calibration.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.plumb.calibration.stats.Interval;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Every estimator and interval against R {@code survey} 4.1.1 on the same samples. The samples and
 * the reference numbers below are the verbatim output of {@code calibration/src/test/r/estimation_reference.R}
 * (R 4.2.2); per design, the R calls that produced them are:
 *
 * <ul>
 *   <li>estimate and SE: {@code svyratio(~I(m*y), ~m, d_ratio)}; domains {@code svyby(~I(m*y), ~surface,
 *       denominator = ~m, design = d_ratio, svyratio)}
 *   <li>intervals: {@code svyciprop(~y, d_prop, method = "beta")} (Korn–Graubard) and {@code method =
 *       "logit"}; domains {@code svyby(~y, ~surface, d_prop, svyciprop, method = ..., vartype = "ci")}.
 *       {@code d_prop} carries the exposure in its weights (m/π), so its mean is the same ratio (the
 *       script checks that the estimate and SE are identical to svyratio's).
 *   <li>SRS: {@code d_ratio = svydesign(ids = ~1, fpc = ~N, data)}, {@code d_prop = svydesign(ids = ~1,
 *       fpc = ~N, weights = ~I(m/pi), data)}
 *   <li>stratified: the same with {@code strata = ~stratum} and fpc = N_h
 *   <li>Poisson: {@code svydesign(ids = ~1, probs = ~pi, pps = poisson_sampling(pi), data)} (survey
 *       &ge; 4.1), {@code d_prop} with {@code probs = ~I(pi/m)} and the same {@code poisson_sampling(pi)}
 *   <li>PPS with replacement: one row per draw, {@code svydesign(ids = ~1, strata = ~stratum, probs =
 *       ~I(n_h*p), data = rows)} without fpc ({@code probs = ~I(n_h*p/m)} for {@code d_prop}); the
 *       test compresses repeated draws of a unit into {@code draws}
 *   <li>a stratum with one sampled unit and a census stratum: as stratified, with {@code
 *       options(survey.lonely.psu = "adjust")}
 *   <li>priority sampling (k = 20, π̃ = min(1, size/τ)): the Poisson design with π̃
 * </ul>
 *
 * Tolerances: estimates 1e-9 absolute, SEs and interval bounds 1e-6 relative. R's beta and logit
 * intervals are NaN or degenerate for a domain with no positives or only positives; there plumb gives a one-sided
 * bound instead (checked in {@link EstimatorTest}).
 */
class EstimatorRTest {

    // SRS: id, m, y, surface, stratum, pi
    static final String SRS_DATA = """
        a01,58,0,video,all,0.074999999999999997
        a02,34,0,search,all,0.074999999999999997
        a03,56,0,home,all,0.074999999999999997
        a04,25,1,home,all,0.074999999999999997
        a05,16,0,search,all,0.074999999999999997
        a06,49,0,home,all,0.074999999999999997
        a07,37,0,video,all,0.074999999999999997
        a08,60,0,search,all,0.074999999999999997
        a09,54,0,search,all,0.074999999999999997
        a10,12,0,video,all,0.074999999999999997
        a11,21,0,home,all,0.074999999999999997
        a12,22,0,home,all,0.074999999999999997
        a13,30,0,search,all,0.074999999999999997
        a14,39,0,home,all,0.074999999999999997
        a15,30,1,home,all,0.074999999999999997
        a16,21,0,home,all,0.074999999999999997
        a17,35,0,search,all,0.074999999999999997
        a18,29,0,home,all,0.074999999999999997
        a19,43,1,search,all,0.074999999999999997
        a20,39,0,video,all,0.074999999999999997
        a21,45,0,video,all,0.074999999999999997
        a22,34,0,video,all,0.074999999999999997
        a23,49,0,home,all,0.074999999999999997
        a24,31,0,video,all,0.074999999999999997
        a25,40,0,video,all,0.074999999999999997
        a26,47,0,video,all,0.074999999999999997
        a27,39,1,video,all,0.074999999999999997
        a28,6,0,video,all,0.074999999999999997
        a29,46,0,video,all,0.074999999999999997
        a30,3,0,video,all,0.074999999999999997
        """;
    // SRS overall: estimate, SE (svyratio), beta lower, upper, logit lower, upper, degf
    static final double[] SRS_ALL = {0.13047619047619047, 0.061457769347913117, 0.036077609906338584, 0.30357025437089213, 0.047215381955726367, 0.31241763405487788, 29};
    // SRS by surface: value, estimate, SE, beta lower, upper, logit lower, upper
    static final String SRS_BY_SURFACE = """
        home,0.16129032258064516,0.10641980820365052,0.018975973787670575,0.47902547688520358,0.031423530974535832,0.53269159321664794
        search,0.15808823529411764,0.14212887021224882,0.0045441735624935564,0.60924313738671487,0.013579889728853831,0.719190255954267
        video,0.089244851258581226,0.083550011425797363,0.0025456482214618798,0.3985985051529739,0.0103276621004087,0.47920381991610134
        """;
    // STRATIFIED: id, m, y, surface, stratum, pi
    static final String STRATIFIED_DATA = """
        b01,2,0,search,s1,0.024
        b02,26,0,video,s1,0.024
        b03,16,0,home,s1,0.024
        b04,27,0,video,s1,0.024
        b05,46,0,home,s1,0.024
        b06,5,0,search,s1,0.024
        b07,5,0,video,s1,0.024
        b08,28,0,home,s1,0.024
        b09,34,0,search,s1,0.024
        b10,8,0,search,s1,0.024
        b11,27,0,search,s1,0.024
        b12,18,0,home,s1,0.024
        b13,39,0,video,s2,0.083333333333333329
        b14,14,0,video,s2,0.083333333333333329
        b15,7,0,search,s2,0.083333333333333329
        b16,26,0,video,s2,0.083333333333333329
        b17,32,1,search,s2,0.083333333333333329
        b18,20,0,video,s2,0.083333333333333329
        b19,20,0,home,s2,0.083333333333333329
        b20,19,0,search,s2,0.083333333333333329
        b21,20,1,video,s2,0.083333333333333329
        b22,4,0,home,s2,0.083333333333333329
        b23,24,0,home,s3,0.20000000000000001
        b24,13,0,home,s3,0.20000000000000001
        b25,32,1,home,s3,0.20000000000000001
        b26,40,0,home,s3,0.20000000000000001
        b27,24,0,search,s3,0.20000000000000001
        b28,9,1,search,s3,0.20000000000000001
        b29,39,0,video,s3,0.20000000000000001
        b30,42,0,home,s3,0.20000000000000001
        """;
    // STRATIFIED overall: estimate, SE (svyratio), beta lower, upper, logit lower, upper, degf
    static final double[] STRATIFIED_ALL = {0.060909602997722315, 0.03264355245862232, 0.013859920619170634, 0.16210938649292039, 0.019714473980589748, 0.17299457810481336, 27};
    // STRATIFIED by surface: value, estimate, SE, beta lower, upper, logit lower, upper
    static final String STRATIFIED_BY_SURFACE = """
        home,0.028865235432076492,0.027876224412257827,0.00066700841891800583,0.15333721282161739,0.0029914113692837089,0.22747210052190037
        search,0.10651328312505173,0.094127576755407727,0.0031103223471768025,0.45668744126550087,0.01136676377753371,0.55277920881845044
        video,0.059410842478752376,0.059875769181639046,0.00075218243530713767,0.32444010688669445,0.0045691202673839824,0.46500620612166038
        """;
    // POISSON: id, m, y, surface, stratum, pi
    static final String POISSON_DATA = """
        c01,85,0,search,all,0.13487641938454281
        c02,39,0,home,all,0.14643477002941188
        c03,68,0,search,all,0.2547138918506765
        c04,15,1,video,all,0.051789835791400889
        c05,82,0,search,all,0.56755051368818832
        c06,69,0,search,all,0.47384022139845766
        c07,34,1,search,all,0.23479454616573167
        c08,29,1,video,all,0.17696048269151168
        c09,50,1,home,all,0.22087057813089897
        c10,79,1,home,all,0.49923003483278611
        c11,11,0,search,all,0.044359124776954625
        c12,168,1,home,all,1
        c13,318,0,home,all,1
        c14,28,0,home,all,0.12705023132335774
        c15,25,0,home,all,0.097282059664398179
        c16,35,0,search,all,0.16091940717551295
        c17,13,0,search,all,0.081359307448200718
        c18,208,0,home,all,0.70946023318688645
        c19,42,1,home,all,0.23887150389896719
        c20,58,1,video,all,0.32980874905208069
        c21,328,1,search,all,1
        """;
    // POISSON overall: estimate, SE (svyratio), beta lower, upper, logit lower, upper, degf
    static final double[] POISSON_ALL = {0.36626862611090016, 0.085719876543657147, 0.20289560137928023, 0.55574774391090376, 0.21105136727811483, 0.55529376603095593, 20};
    // POISSON by surface: value, estimate, SE, beta lower, upper, logit lower, upper
    static final String POISSON_BY_SURFACE = """
        home,0.34965559966649234,0.11264267107195514,0.12687657951449313,0.63482710826038791,0.14643367609488156,0.62755544487071935
        search,0.20688707702582604,0.079675711815789807,0.064006164855824818,0.43652835086315167,0.07845447551880301,0.44422031405847562
        video,1,0,NaN,NaN,0.99999999993150501,0.99999999999942668
        """;
    // PPSWR: id, m, y, surface, stratum, p, draws
    static final String PPSWR_DATA = """
        w1-107,7,1,video,w1,0.087383817551955276,3
        w1-116,12,0,search,w1,0.041188461887134271,2
        w1-12,29,0,video,w1,0.0037022373955658897,1
        w1-128,21,0,video,w1,0.0064968971740692544,1
        w1-142,16,1,home,w1,0.015046393184064982,1
        w1-144,10,0,home,w1,0.017496032615715196,1
        w1-2,30,1,search,w1,0.03113199848116463,1
        w1-27,21,1,search,w1,0.020590902783837798,1
        w1-3,16,0,video,w1,0.056957503180378004,1
        w1-52,4,0,home,w1,0.03677364552476959,2
        w1-73,22,0,home,w1,0.0049438156967444103,1
        w1-76,16,0,search,w1,0.013005195385410801,2
        w1-8,17,0,video,w1,0.011743448849939398,1
        w1-82,15,0,search,w1,0.013650399237459631,1
        w1-86,9,0,home,w1,0.030868056763968497,1
        w2-14,23,0,search,w2,0.037155171692208673,1
        w2-22,27,1,video,w2,0.0096314109963890164,1
        w2-33,1,0,home,w2,0.0032555190690357516,1
        w2-43,4,0,video,w2,0.015482755257192889,1
        w2-52,26,0,home,w2,0.0029212844615766446,1
        w2-54,29,0,home,w2,0.00025020480088688732,1
        w2-58,22,0,video,w2,0.030670876801885998,1
        w2-63,7,0,home,w2,0.28093064452447919,3
        w2-70,11,0,home,w2,0.062690105877389921,2
        """;
    // PPSWR overall: estimate, SE (svyratio), beta lower, upper, logit lower, upper, degf
    static final double[] PPSWR_ALL = {0.032847516546149598, 0.034227865504737963, 0.00055696150922579816, 0.18308413134111134, 0.0037477250937439058, 0.23467328399873358, 30};
    // PPSWR by surface: value, estimate, SE, beta lower, upper, logit lower, upper
    static final String PPSWR_BY_SURFACE = """
        home,0.0049270549215850012,0.0065863493251032707,8.5836216743878402e-06,0.042056825164130229,0.00026511752320856712,0.084627095327015261
        search,0.27712950791366397,0.1720506351967557,0.02823837206089911,0.72406030790201004,0.044776814356292174,0.75818679797516408
        video,0.25410680963069998,0.21357375739317883,0.0067547813238889309,0.80856682517610368,0.024715909290890219,0.82077782525639165
        """;
    // LONELY: id, m, y, surface, stratum, pi
    static final String LONELY_DATA = """
        e01,5,0,home,e1,0.044999999999999998
        e02,15,0,search,e1,0.044999999999999998
        e03,10,1,home,e1,0.044999999999999998
        e04,2,1,home,e1,0.044999999999999998
        e05,6,1,search,e1,0.044999999999999998
        e06,17,0,search,e1,0.044999999999999998
        e07,5,1,search,e1,0.044999999999999998
        e08,15,0,search,e1,0.044999999999999998
        e09,12,1,home,e1,0.044999999999999998
        e10,20,0,home,e2,0.033333333333333333
        e11,19,0,search,e3,1
        e12,8,0,search,e3,1
        e13,11,0,search,e3,1
        e14,5,0,search,e3,1
        e15,15,1,search,e3,1
        e16,12,1,home,e3,1
        """;
    // LONELY overall: estimate, SE (svyratio), beta lower, upper, logit lower, upper, degf
    static final double[] LONELY_ALL = {0.30913358941527957, 0.1469581040068495, 0.068325907249767823, 0.6675820511096584, 0.091893740433037538, 0.66427025070551349, 13};
    // LONELY by surface: value, estimate, SE, beta lower, upper, logit lower, upper
    static final String LONELY_BY_SURFACE = """
        home,0.4340290060134418,0.25484086758755059,0.01366429128135096,0.9624581331633415,0.027465455566787887,0.95417921124865412
        search,0.19262497937634054,0.14016950512083914,0.013566957427113063,0.60785354761906296,0.028988849703291901,0.65595969308904278
        """;
    // PRIORITY: id, m, y, surface, stratum, pi
    static final String PRIORITY_DATA = """
        f01,10,0,video,all,0.091983784814001698
        f02,40,1,video,all,0.38268660259031945
        f03,29,1,video,all,0.27015850913959749
        f04,4,0,video,all,0.027068819429164365
        f05,70,0,video,all,0.67280350198569128
        f06,10,0,search,all,0.084592955865755187
        f07,15,0,search,all,0.13593158951722295
        f08,18,0,search,all,0.1638898911334134
        f09,25,0,search,all,0.22858684087210537
        f10,8,0,video,all,0.063951220479923257
        f11,130,0,video,all,1
        f12,15,0,home,all,0.13924831691714923
        f13,29,1,video,all,0.26728072354318333
        f14,7,1,video,all,0.055909192351934291
        f15,24,0,search,all,0.22353046552580816
        f16,8,0,video,all,0.066020964731576426
        f17,8,0,video,all,0.064896062766086601
        f18,19,0,home,all,0.1708095009092977
        f19,67,1,search,all,0.64337675930220239
        f20,23,1,video,all,0.20951132480287635
        """;
    // PRIORITY overall: estimate, SE (svyratio), beta lower, upper, logit lower, upper, degf
    static final double[] PRIORITY_ALL = {0.28752881878924469, 0.085853514472410394, 0.1330692942143305, 0.48940361602160043, 0.14373777224807449, 0.49243890588358546, 19};
    // PRIORITY by surface: value, estimate, SE, beta lower, upper, logit lower, upper
    static final String PRIORITY_BY_SURFACE = """
        home,0,0,NaN,NaN,0,NaN
        search,0.15796054413815258,0.096281686702492167,0.011650915526905552,0.52233050437196615,0.028353062881988467,0.54668716574533727
        video,0.39235702990057808,0.1219280807098852,0.15464250783485206,0.67510551553945986,0.17321185755598284,0.66556694113443005
        """;

  @Test
  void srs_with_fpc_matches_svyratio_and_svyciprop() {
    check(DesignType.SRS, SRS_DATA, Map.of("all", 400L), SRS_ALL, SRS_BY_SURFACE);
  }

  @Test
  void stratified_with_fpc_matches_svyratio_and_svyciprop() {
    check(DesignType.STRATIFIED, STRATIFIED_DATA, Map.of("s1", 500L, "s2", 120L, "s3", 40L), STRATIFIED_ALL,
        STRATIFIED_BY_SURFACE);
  }

  @Test
  void poisson_matches_svydesign_with_poisson_sampling() {
    check(DesignType.POISSON, POISSON_DATA, Map.of("all", 300L), POISSON_ALL, POISSON_BY_SURFACE);
  }

  @Test
  void pps_with_replacement_matches_svydesign_with_probs_and_no_fpc() {
    check(DesignType.PPSWR, PPSWR_DATA, Map.of("w1", 150L, "w2", 80L), PPSWR_ALL, PPSWR_BY_SURFACE);
  }

  @Test
  void lonely_and_census_strata_match_lonely_psu_adjust() {
    check(DesignType.STRATIFIED, LONELY_DATA, Map.of("e1", 200L, "e2", 30L, "e3", 6L), LONELY_ALL,
        LONELY_BY_SURFACE);
  }

  @Test
  void priority_sampling_matches_the_poisson_form_with_adjusted_probabilities() {
    check(DesignType.PRIORITY, PRIORITY_DATA, Map.of("all", 250L), PRIORITY_ALL, PRIORITY_BY_SURFACE);
  }

  private static void check(DesignType type, String data, Map<String, Long> populations, double[] all, String bySurface) {
    Parsed s = parse(type, data, populations);
    Estimate e = Estimator.ratio(s.sample, s.y);
    assertThat(e.estimate()).isCloseTo(all[0], within(1e-9));
    assertRelative(e.se(), all[1]);
    assertThat(e.df()).isEqualTo((int) all[6]);
    assertInterval(IntervalMethod.KORN_GRAUBARD.interval(e, 0.95), all[2], all[3]);
    assertInterval(IntervalMethod.LOGIT.interval(e, 0.95), all[4], all[5]);
    Map<String, boolean[]> domains = s.sample.domains("surface");
    for (String row : bySurface.strip().split("\n")) {
      String[] f = row.strip().split(",");
      Estimate d = Estimator.ratio(s.sample, s.y, domains.get(f[0]));
      assertThat(d.estimate()).as("estimate in %s", f[0]).isCloseTo(Double.parseDouble(f[1]), within(1e-9));
      assertRelative(d.se(), Double.parseDouble(f[2]));
      if (d.atZero() || d.atOne()) { // R: NaN or a degenerate interval
        assertThat(IntervalMethod.KORN_GRAUBARD.interval(d, 0.95).oneSided()).isTrue();
        continue;
      }
      assertInterval(IntervalMethod.KORN_GRAUBARD.interval(d, 0.95), Double.parseDouble(f[3]), Double.parseDouble(f[4]));
      assertInterval(IntervalMethod.LOGIT.interval(d, 0.95), Double.parseDouble(f[5]), Double.parseDouble(f[6]));
    }
  }

  private static void assertRelative(double actual, double expected) {
    assertThat(actual).isCloseTo(expected, within(1e-6 * Math.abs(expected) + 1e-15));
  }

  private static void assertInterval(Interval actual, double lower, double upper) {
    assertThat(actual.oneSided()).isFalse();
    assertRelative(actual.lower(), lower);
    assertRelative(actual.upper(), upper);
  }

  record Parsed(DesignSample sample, double[] y) {}

  static Parsed parse(DesignType type, String data, Map<String, Long> populations) {
    List<SampledUnit> units = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    Map<String, Integer> n = new LinkedHashMap<>();
    for (String row : data.strip().split("\n")) {
      String[] f = row.strip().split(",");
      Inclusion inc = type.withReplacement()
          ? new Inclusion.WithReplacement(f[4], Double.parseDouble(f[5]), Integer.parseInt(f[6]))
          : new Inclusion.WithoutReplacement(f[4], Double.parseDouble(f[5]));
      n.merge(f[4], type.withReplacement() ? Integer.parseInt(f[6]) : 1, Integer::sum);
      units.add(new SampledUnit(f[0], Double.parseDouble(f[1]), Map.of("surface", f[3]), inc));
      y.add(Double.parseDouble(f[2]));
    }
    List<Stratum> strata = new ArrayList<>();
    n.forEach((h, count) -> strata.add(new Stratum(h, populations.get(h), 0, count)));
    return new Parsed(DesignSample.of(type, units, strata), y.stream().mapToDouble(Double::doubleValue).toArray());
  }
}
