package dev.plumb.calibration.corrected;

import dev.plumb.calibration.estimate.DesignSample;
import dev.plumb.calibration.estimate.DesignType;
import dev.plumb.calibration.estimate.Inclusion;
import dev.plumb.calibration.estimate.SampledUnit;
import dev.plumb.calibration.estimate.Stratum;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Loads the two-phase fixtures written by reference/twophase_fixture.py. */
final class Fixtures {
  private Fixtures() {}

  /** @param unitLevel true to set every exposure to 1 */
  static TwoPhaseSample stratified(boolean unitLevel) {
    return load("/twophase/stratified.csv", unitLevel);
  }

  static TwoPhaseSample balanced(boolean unitLevel) {
    return load("/twophase/balanced.csv", unitLevel);
  }

  static TwoPhaseSample load(String resource, boolean unitLevel) {
    String text;
    try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String[] lines = text.split("\n");
    List<SampledUnit> units = new ArrayList<>();
    List<Double> llm = new ArrayList<>();
    List<GoldUnit> gold = new ArrayList<>();
    Map<String, long[]> strata = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].split(",", -1);
      String id = f[0];
      String stratum = f[1];
      long big = Long.parseLong(f[2]);
      double pi1 = Double.parseDouble(f[3]);
      double m = unitLevel ? 1 : Double.parseDouble(f[4]);
      units.add(SampledUnit.of(id, m, new Inclusion.WithoutReplacement(stratum, pi1)));
      strata.computeIfAbsent(stratum, s -> new long[] {big, 0})[1]++;
      llm.add(Double.parseDouble(f[5]));
      if (f[6].equals("1")) {
        gold.add(new GoldUnit(id, f[7].equals("1"), f[8], Double.parseDouble(f[9])));
      }
    }
    List<Stratum> st = new ArrayList<>();
    strata.forEach((id, v) -> st.add(new Stratum(id, v[0], 0, (int) v[1])));
    DesignSample p1 = DesignSample.of(DesignType.STRATIFIED, units, st);
    return TwoPhaseSample.of(p1, llm.stream().mapToDouble(Double::doubleValue).toArray(), gold);
  }
}
