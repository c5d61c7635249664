package dev.plumb.calibration.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChartsTest {

  @Test
  void escapes_text_and_attribute_characters() {
    assertThat(Html.escape("<a href=\"x\">Tom & Jerry's</a>"))
        .isEqualTo("&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
    assertThat(Html.escape(null)).isEmpty();
  }

  @Test
  void tables_align_numbers_escape_text_and_drop_an_empty_header() {
    String t = Html.table(java.util.List.of("Name", "Value"), java.util.List.of(
        Html.Row.of(Html.Cell.text("a<b"), Html.Cell.num("1.5%")),
        new Html.Row(java.util.List.of(Html.Cell.html("<b>x</b>"), Html.Cell.num("2")), true)), "");
    assertThat(t).isEqualTo("<table>\n<thead><tr><th>Name</th><th class=\"num\">Value</th></tr></thead>\n<tbody>\n"
        + "<tr><td>a&lt;b</td><td class=\"num\">1.5%</td></tr>\n"
        + "<tr class=\"hl\"><td><b>x</b></td><td class=\"num\">2</td></tr>\n</tbody>\n</table>\n");
    assertThat(Html.table(java.util.List.of("", ""), java.util.List.of(Html.Row.of(Html.Cell.text("k"), Html.Cell.text("v"))), "kv"))
        .isEqualTo("<table class=\"kv\">\n<tbody>\n<tr><td>k</td><td>v</td></tr>\n</tbody>\n</table>\n");
    assertThat(Html.badge("FAIL", Html.Tone.BAD)).isEqualTo("<span class=\"badge bad\">FAIL</span>");
  }

  @Test
  void ticks_are_nice_numbers_covering_the_range() {
    assertThat(Charts.ticks(0, 0.0123, 5)).containsExactly(0, 0.005, 0.01, 0.015);
    assertThat(Charts.ticks(0, 0.37, 5)).containsExactly(0, 0.1, 0.2, 0.30000000000000004, 0.4);
    assertThat(Charts.tickLabel(0.005, 0.015)).isEqualTo("0.5%");
    assertThat(Charts.tickLabel(0.2, 0.4)).isEqualTo("20%");
  }

  @Test
  void interval_chart_draws_every_row_the_marker_and_escapes_labels() {
    String svg = Charts.intervals(List.of(
        new Charts.IntervalRow("human-only", 0.012, 0.008, 0.017, false, true, "1.2%"),
        new Charts.IntervalRow("upper <bound>", Double.NaN, 0, 0.02, true, false, "≤ 2%"),
        new Charts.IntervalRow("rogan-gladen", Double.NaN, Double.NaN, Double.NaN, false, false, "not estimable")),
        0.011, "truth 1.1%", 900);
    assertThat(svg).startsWith("<svg viewBox=\"0 0 900 ").contains("upper &lt;bound&gt;").contains("truth 1.1%")
        .contains("stroke-dasharray").doesNotContain("http");
    assertThat(svg.split("<circle", -1)).hasSize(2);
  }

  @Test
  void reliability_and_series_charts_render_points() {
    String r = Charts.reliability(List.of(
        new Charts.ReliabilityPoint(0.65, 0.6, 0.5, 0.7, 40),
        new Charts.ReliabilityPoint(0.95, 0.97, 0.93, 0.99, 200)), 320);
    assertThat(r.split("<circle", -1)).hasSize(3);
    assertThat(r).contains(">0.4<").contains(">0.6<").contains(">1.0<").doesNotContain(">0.5<");
    String s = Charts.series(List.of(
        new Charts.SeriesPoint("11-01", 0.01, 0.008, 0.012),
        new Charts.SeriesPoint("11-02", Double.NaN, Double.NaN, Double.NaN),
        new Charts.SeriesPoint("11-03", 0.012, 0.01, 0.015)), 0.02, "alert", 600, 220);
    assertThat(s.split("<circle", -1)).hasSize(3);
    assertThat(s).contains(">11-03<").contains(">alert<");
    assertThat(Charts.heat(0)).isEqualTo("#ffffff");
    assertThat(Charts.heat(1)).isEqualTo("#8fb8e5");
  }
}
