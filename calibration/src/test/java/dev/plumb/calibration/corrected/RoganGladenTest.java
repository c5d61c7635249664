package dev.plumb.calibration.corrected;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.plumb.calibration.stats.BinomialInterval;
import org.junit.jupiter.api.Test;

/** Reference values from calibration/src/test/resources/reference/rogan_gladen.R (R 4.2.2, epiR 2.0.57). */
class RoganGladenTest {

  @Test
  void known_accuracy_matches_epir_epi_prev_and_clips_at_zero() {
    // epi.prev(pos = 40, tested = 150, se = 0.96, sp = 0.89, method = "wilson", units = 1)$tp
    //   -> 0.184313725490196 0.10867248652865 0.273664118222451
    RoganGladen.Result w = RoganGladen.knownAccuracy(40, 150, 0.96, 0.89, BinomialInterval.WILSON, 0.95);
    assertThat(w.estimate()).isCloseTo(0.184313725490196, within(1e-12));
    assertThat(w.interval().lower()).isCloseTo(0.10867248652865, within(1e-12));
    assertThat(w.interval().upper()).isCloseTo(0.273664118222451, within(1e-12));
    // method = "c-p" -> 0.184313725490196 0.103343627305307 0.276410834597311
    RoganGladen.Result cp = RoganGladen.knownAccuracy(40, 150, 0.96, 0.89, BinomialInterval.CLOPPER_PEARSON, 0.95);
    assertThat(cp.interval().lower()).isCloseTo(0.103343627305307, within(1e-9));
    assertThat(cp.interval().upper()).isCloseTo(0.276410834597311, within(1e-9));
    // pos = 23, "wilson" -> 0.0509803921568629 -0.00658877917035208 0.128917449086273: epiR leaves the
    // lower limit below 0; plumb clips it.
    RoganGladen.Result low = RoganGladen.knownAccuracy(23, 150, 0.96, 0.89, BinomialInterval.WILSON, 0.95);
    assertThat(low.estimate()).isCloseTo(0.0509803921568629, within(1e-12));
    assertThat(low.interval().lower()).isZero();
    assertThat(low.interval().upper()).isCloseTo(0.128917449086273, within(1e-12));
  }

  @Test
  void lang_reiczigel_interval_matches_the_papers_formulas() {
    // lr(23, 150, 48, 50, 178, 200) -> 0.0509803921568629 0 0.141196206262054
    RoganGladen.Result r = RoganGladen.langReiczigel(23, 150, 48, 50, 178, 200, 0.95);
    assertThat(r.estimate()).isCloseTo(0.0509803921568629, within(1e-12));
    assertThat(r.interval().lower()).isZero();
    assertThat(r.interval().upper()).isCloseTo(0.141196206262054, within(1e-12));
    // Carrying Se/Sp uncertainty makes it wider than epi.prev's known-accuracy interval (0.1289).
    assertThat(r.interval().upper()).isGreaterThan(0.128917449086273);
    // lr(3, 400, 18, 20, 390, 400) -> 0 0 0.004045727524714: estimate clipped at 0, still an upper limit
    RoganGladen.Result clipped = RoganGladen.langReiczigel(3, 400, 18, 20, 390, 400, 0.95);
    assertThat(clipped.estimate()).isZero();
    assertThat(clipped.interval().upper()).isCloseTo(0.004045727524714, within(1e-12));
  }

  @Test
  void a_classifier_no_better_than_chance_is_rejected() {
    assertThatThrownBy(() -> RoganGladen.langReiczigel(10, 100, 5, 10, 50, 100, 0.95))
        .hasMessage("sensitivity + specificity = 1.0 is not above 1: the correction is undefined");
  }
}
