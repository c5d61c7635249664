package dev.plumb.calibration.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Inline SVG charts for reports and dashboards: intervals on one axis (a forest plot), a
 * reliability diagram and a time series with its interval band. Pure functions of their inputs;
 * the SVG has fixed geometry in a {@code viewBox}, so it scales with the page and needs no script,
 * font or network. Values are proportions in [0, 1] shown as percentages. Thread-safe.
 */
public final class Charts {
  private Charts() {}

  static final String ACCENT = "#1f5fa8";
  static final String INK = "#1d2733";
  static final String MUTED = "#5b6776";
  static final String GRID = "#e3e8ee";
  static final String TRUTH = "#b42318";

  /**
   * One row of an interval chart.
   *
   * @param label the row's name (e.g. an estimator)
   * @param estimate the point estimate, or NaN for none (a bound only, or not estimable)
   * @param lower the interval's lower end, or NaN when there is no interval
   * @param upper the interval's upper end, or NaN when there is no interval
   * @param oneSided true for a one-sided bound [0, upper]: drawn open at the bottom
   * @param highlight draws the row in the accent colour, bold (e.g. the recommended estimator)
   * @param valueText the text at the right end of the row (e.g. "1.2% [0.9, 1.6]")
   */
  public record IntervalRow(
      String label, double estimate, double lower, double upper, boolean oneSided, boolean highlight,
      String valueText) {}

  /**
   * A forest plot: every row's interval on one shared percentage axis starting at 0.
   *
   * @param rows the rows, top to bottom
   * @param marker a reference value drawn as a dashed vertical line (e.g. the known truth), or NaN
   * @param markerLabel its legend text (escaped), ignored without a marker
   * @param width the drawing's width in px (≥ 480)
   */
  public static String intervals(List<IntervalRow> rows, double marker, String markerLabel, int width) {
    int labelW = 150;
    int valueW = 190;
    int rowH = 30;
    int top = Double.isNaN(marker) ? 14 : 30;
    int axisH = 30;
    int height = top + rows.size() * rowH + axisH;
    double x0 = labelW + 10;
    double x1 = width - valueW - 10;
    double max = 0;
    for (IntervalRow r : rows) {
      max = Math.max(max, finite(r.upper()));
      max = Math.max(max, finite(r.estimate()));
    }
    max = Math.max(max, finite(marker));
    double[] ticks = ticks(0, max > 0 ? max * 1.05 : 0.01, 5);
    double hi = ticks[ticks.length - 1];
    StringBuilder s = svgOpen(width, height, "Intervals on one axis");
    // grid and tick labels
    for (double t : ticks) {
      double x = x0 + (x1 - x0) * t / hi;
      s.append(line(x, top - 6, x, top + rows.size() * rowH, GRID, 1, ""));
      s.append(text(x, top + rows.size() * rowH + 16, tickLabel(t, hi), "middle", 11, MUTED, false));
    }
    s.append(line(x0, top + rows.size() * rowH, x1, top + rows.size() * rowH, "#c5ced8", 1, ""));
    for (int i = 0; i < rows.size(); i++) {
      IntervalRow r = rows.get(i);
      double y = top + i * rowH + rowH / 2.0;
      String colour = r.highlight() ? ACCENT : "#6b7785";
      if (r.highlight()) {
        s.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"%.1f\" width=\"%d\" height=\"%d\" fill=\"#eef4fc\" rx=\"4\"/>",
            y - rowH / 2.0 + 1, width, rowH - 2));
      }
      s.append(text(labelW, y + 4, r.label(), "end", 13, r.highlight() ? ACCENT : INK, r.highlight()));
      boolean hasInterval = !Double.isNaN(r.lower()) && !Double.isNaN(r.upper());
      if (hasInterval) {
        double xl = x0 + (x1 - x0) * clamp(r.lower() / hi);
        double xu = x0 + (x1 - x0) * clamp(r.upper() / hi);
        double sw = r.highlight() ? 3.5 : 2.5;
        if (r.oneSided()) {
          s.append(line(xl, y, xu, y, colour, sw, "4 3"));
          s.append(line(xu, y - 7, xu, y + 7, colour, sw, ""));
          s.append(String.format(Locale.ROOT, "<path d=\"M%.1f %.1f l-7 -5 v10 z\" fill=\"%s\"/>", xu - 1, y, colour));
        } else {
          s.append(line(xl, y, xu, y, colour, sw, ""));
          s.append(line(xl, y - 6, xl, y + 6, colour, sw - 1, ""));
          s.append(line(xu, y - 6, xu, y + 6, colour, sw - 1, ""));
        }
      }
      if (!Double.isNaN(r.estimate()) && !(r.oneSided() && r.estimate() == 0)) {
        double xe = x0 + (x1 - x0) * clamp(r.estimate() / hi);
        s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\" stroke=\"#fff\" stroke-width=\"1.5\"/>",
            xe, y, r.highlight() ? 6.0 : 5.0, colour));
      }
      s.append(text(width - valueW, y + 4, r.valueText(), "start", 12, r.highlight() ? ACCENT : MUTED, r.highlight()));
    }
    if (!Double.isNaN(marker)) {
      double xm = x0 + (x1 - x0) * clamp(marker / hi);
      s.append(line(xm, top - 8, xm, top + rows.size() * rowH, TRUTH, 1.5, "5 3"));
      s.append(text(xm, top - 12, markerLabel, "middle", 11, TRUTH, true));
    }
    return s.append("</svg>\n").toString();
  }

  /**
   * One bin of a reliability diagram.
   *
   * @param confidence the mean stated confidence in the bin, in [0, 1]
   * @param observed the observed share correct, in [0, 1]
   * @param lower its interval's lower end (NaN for none)
   * @param upper its interval's upper end (NaN for none)
   * @param units how many units are in the bin (sets the dot's size)
   */
  public record ReliabilityPoint(double confidence, double observed, double lower, double upper, int units) {}

  /**
   * A reliability diagram: observed share correct against stated confidence, with the diagonal of
   * perfect calibration and each bin's interval. The axes span [floor, 1] with {@code floor} the
   * lowest multiple of 0.1 below every value (0.5 for a typical binary classifier).
   *
   * @param size the plot's side in px (≥ 240)
   */
  public static String reliability(List<ReliabilityPoint> points, int size) {
    return reliability(points, size, "stated confidence", "share correct");
  }

  /** The same diagram with its own axis titles (e.g. a label score against the share of gold positives). */
  public static String reliability(List<ReliabilityPoint> points, int size, String xTitle, String yTitle) {
    double lo = 1;
    for (ReliabilityPoint p : points) {
      lo = Math.min(lo, p.confidence());
      lo = Math.min(lo, Double.isNaN(p.lower()) ? p.observed() : p.lower());
    }
    lo = Math.max(0, Math.floor(lo * 10 - 1e-9) / 10);
    if (lo > 0.5) {
      lo = 0.5;
    }
    int pad = 46;
    int w = size;
    int h = size;
    double plot = size - pad - 14;
    double x0 = pad;
    double y0 = 10;
    int maxUnits = 1;
    for (ReliabilityPoint p : points) {
      maxUnits = Math.max(maxUnits, p.units());
    }
    StringBuilder s = svgOpen(w, h, "Reliability diagram");
    double span = 1 - lo;
    double step = span > 0.55 ? 0.2 : 0.1;
    for (double t = 1; t >= lo - 1e-9; t -= step) {
      double f = (t - lo) / span;
      double x = x0 + plot * f;
      double y = y0 + plot * (1 - f);
      s.append(line(x, y0, x, y0 + plot, GRID, 1, ""));
      s.append(line(x0, y, x0 + plot, y, GRID, 1, ""));
      String label = String.format(Locale.ROOT, "%.1f", t);
      s.append(text(x, y0 + plot + 15, label, "middle", 10, MUTED, false));
      s.append(text(x0 - 6, y + 3.5, label, "end", 10, MUTED, false));
    }
    s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#c5ced8\"/>",
        x0, y0, plot, plot));
    s.append(line(x0, y0 + plot, x0 + plot, y0, "#9aa6b2", 1.2, "5 4"));
    s.append(text(x0 + plot / 2, h - 4, xTitle, "middle", 11, MUTED, false));
    s.append(String.format(Locale.ROOT,
        "<text x=\"12\" y=\"%.1f\" transform=\"rotate(-90 12 %.1f)\" text-anchor=\"middle\" font-size=\"11\" fill=\"%s\">%s</text>",
        y0 + plot / 2, y0 + plot / 2, MUTED, Html.escape(yTitle)));
    List<double[]> path = new ArrayList<>();
    for (ReliabilityPoint p : points) {
      double x = x0 + plot * clamp((p.confidence() - lo) / span);
      double y = y0 + plot * (1 - clamp((p.observed() - lo) / span));
      path.add(new double[] {x, y});
      if (!Double.isNaN(p.lower()) && !Double.isNaN(p.upper())) {
        double yl = y0 + plot * (1 - clamp((p.lower() - lo) / span));
        double yu = y0 + plot * (1 - clamp((p.upper() - lo) / span));
        s.append(line(x, yl, x, yu, ACCENT, 1.5, ""));
      }
    }
    if (path.size() > 1) {
      StringBuilder d = new StringBuilder();
      for (double[] xy : path) {
        d.append(d.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", xy[0], xy[1]));
      }
      s.append("<path d=\"").append(d).append("\" fill=\"none\" stroke=\"").append(ACCENT).append("\" stroke-width=\"1.5\" opacity=\".6\"/>");
    }
    for (int i = 0; i < points.size(); i++) {
      double r = 3 + 5 * Math.sqrt(points.get(i).units() / (double) maxUnits);
      s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\" fill-opacity=\".85\" stroke=\"#fff\"/>",
          path.get(i)[0], path.get(i)[1], r, ACCENT));
    }
    return s.append("</svg>\n").toString();
  }

  /**
   * One point of a time series.
   *
   * @param label the x label (e.g. a day)
   * @param estimate the value, or NaN for a gap
   * @param lower the interval's lower end, or NaN
   * @param upper the interval's upper end, or NaN
   */
  public record SeriesPoint(String label, double estimate, double lower, double upper) {}

  /**
   * A time series of proportions with its interval band, equally spaced points, a percentage
   * y-axis from 0, and an optional horizontal reference line.
   *
   * @param reference a value drawn as a dashed horizontal line (e.g. a threshold), or NaN
   * @param referenceLabel its text (escaped), ignored without a reference
   */
  public static String series(List<SeriesPoint> points, double reference, String referenceLabel, int width, int height) {
    int left = 56;
    int right = 16;
    int top = 14;
    int bottom = 34;
    double max = finite(reference);
    for (SeriesPoint p : points) {
      max = Math.max(max, Math.max(finite(p.upper()), finite(p.estimate())));
    }
    double[] ticks = ticks(0, max > 0 ? max * 1.05 : 0.01, 4);
    double hi = ticks[ticks.length - 1];
    double pw = width - left - right;
    double ph = height - top - bottom;
    StringBuilder s = svgOpen(width, height, "Time series");
    for (double t : ticks) {
      double y = top + ph * (1 - t / hi);
      s.append(line(left, y, left + pw, y, GRID, 1, ""));
      s.append(text(left - 6, y + 4, tickLabel(t, hi), "end", 11, MUTED, false));
    }
    int n = points.size();
    double step = n > 1 ? pw / (n - 1) : 0;
    double[] xs = new double[n];
    for (int i = 0; i < n; i++) {
      xs[i] = n > 1 ? left + i * step : left + pw / 2;
    }
    StringBuilder band = new StringBuilder();
    StringBuilder lower = new StringBuilder();
    for (int i = 0; i < n; i++) {
      SeriesPoint p = points.get(i);
      if (!Double.isNaN(p.lower()) && !Double.isNaN(p.upper())) {
        band.append(band.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", xs[i], top + ph * (1 - clamp(p.upper() / hi))));
        lower.insert(0, String.format(Locale.ROOT, " L%.1f %.1f", xs[i], top + ph * (1 - clamp(p.lower() / hi))));
      }
    }
    if (band.length() > 0) {
      s.append("<path d=\"").append(band).append(lower).append(" Z\" fill=\"").append(ACCENT).append("\" fill-opacity=\".14\"/>");
    }
    StringBuilder d = new StringBuilder();
    for (int i = 0; i < n; i++) {
      SeriesPoint p = points.get(i);
      if (Double.isNaN(p.estimate())) {
        continue;
      }
      d.append(d.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", xs[i], top + ph * (1 - clamp(p.estimate() / hi))));
    }
    if (d.length() > 0) {
      s.append("<path d=\"").append(d).append("\" fill=\"none\" stroke=\"").append(ACCENT).append("\" stroke-width=\"2\"/>");
    }
    int every = Math.max(1, (int) Math.ceil(n / 8.0));
    for (int i = 0; i < n; i++) {
      SeriesPoint p = points.get(i);
      if (!Double.isNaN(p.estimate())) {
        s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>",
            xs[i], top + ph * (1 - clamp(p.estimate() / hi)), ACCENT));
      }
      if (i % every == 0 || i == n - 1) {
        s.append(text(xs[i], height - bottom + 18, p.label(), "middle", 11, MUTED, false));
      }
    }
    if (!Double.isNaN(reference)) {
      double y = top + ph * (1 - clamp(reference / hi));
      s.append(line(left, y, left + pw, y, TRUTH, 1.2, "5 3"));
      s.append(text(left + pw, y - 5, referenceLabel, "end", 11, TRUTH, false));
    }
    return s.append("</svg>\n").toString();
  }

  /**
   * A background colour for a heat-map cell: white at 0, the accent colour's light tint at 1
   * (text stays readable in dark ink).
   */
  public static String heat(double share) {
    double f = clamp(share);
    int r = (int) Math.round(255 - f * (255 - 143));
    int g = (int) Math.round(255 - f * (255 - 184));
    int b = (int) Math.round(255 - f * (255 - 229));
    return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
  }

  /**
   * "Nice" tick values from {@code lo} to at least {@code hi}, about {@code count} of them, with
   * steps of 1, 2 or 5 × 10^k (Heckbert, "Nice numbers for graph labels", Graphics Gems 1990).
   */
  static double[] ticks(double lo, double hi, int count) {
    double range = nice(hi - lo, false);
    double step = nice(range / Math.max(1, count - 1), true);
    double start = Math.floor(lo / step) * step;
    double end = Math.ceil(hi / step - 1e-9) * step;
    int n = (int) Math.round((end - start) / step) + 1;
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = start + i * step;
    }
    return out;
  }

  private static double nice(double x, boolean round) {
    double exp = Math.floor(Math.log10(x));
    double f = x / Math.pow(10, exp);
    double nf;
    if (round) {
      nf = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
    } else {
      nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
    }
    return nf * Math.pow(10, exp);
  }

  /** A tick as a percentage with as many decimals as the axis's step needs. */
  static String tickLabel(double t, double hi) {
    double pct = hi * 100;
    int decimals = pct >= 10 ? 0 : pct >= 1 ? 1 : pct >= 0.1 ? 2 : 3;
    if (decimals == 1 && Math.abs(t * 100 - Math.rint(t * 100)) < 1e-9 && Math.abs(hi * 100 - Math.rint(hi * 100)) < 1e-9
        && pct >= 4) {
      decimals = 0;
    }
    return String.format(Locale.ROOT, "%." + decimals + "f%%", t * 100);
  }

  private static double finite(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? 0 : v;
  }

  private static double clamp(double f) {
    return Math.max(0, Math.min(1, f));
  }

  private static StringBuilder svgOpen(int width, int height, String title) {
    return new StringBuilder(String.format(Locale.ROOT,
        "<svg viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\"><title>%s</title>",
        width, height, width, height, Html.escape(title)));
  }

  private static String line(double x1, double y1, double x2, double y2, String colour, double width, String dash) {
    return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%.1f\"%s/>",
        x1, y1, x2, y2, colour, width, dash.isEmpty() ? "" : " stroke-dasharray=\"" + dash + "\"");
  }

  private static String text(double x, double y, String text, String anchor, int size, String colour, boolean bold) {
    return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\" fill=\"%s\"%s>%s</text>",
        x, y, anchor, size, colour, bold ? " font-weight=\"600\"" : "", Html.escape(text));
  }
}
