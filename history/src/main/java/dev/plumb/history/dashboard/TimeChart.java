package dev.plumb.history.dashboard;

import dev.plumb.calibration.report.Html;
import dev.plumb.core.Numbers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An inline SVG time chart over equally spaced periods: interval bands, lines, vertical event
 * markers with labels, an optional status strip (one coloured cell per period) and a legend.
 * Values are proportions; NaN leaves a gap. Built up, then {@link #svg()}; not thread-safe.
 *
 * <p>With at most {@link #FEW} periods a line and a band carry too few points to be seen (one
 * period is a zero-width band and a path of one point), so each period is drawn as a point with
 * its value written beside it, each band as an interval bar with caps, and a dashed line as a short
 * dash left of the point, its value beside it; the periods sit in the middle of equal slots instead of at the plot's edges.
 */
final class TimeChart {
  private static final String GRID = "#e6ebf0";
  private static final String MUTED = "#5b6776";
  /** Up to this many periods, points and interval bars instead of lines and bands. */
  static final int FEW = 3;

  private record Band(double[] lower, double[] upper, String colour, double opacity) {}

  private record Line(double[] values, String colour, double width, String dash, boolean dots) {}

  private record Marker(int index, String label, String colour) {}

  private record Legend(String label, String colour, String dash, boolean band) {}

  private record Flag(int index, double value, String tooltip) {}

  private final List<String> labels;
  private final List<String> ticks;
  private final int width;
  private final int plotHeight;
  private final List<Band> bands = new ArrayList<>();
  private final List<Line> lines = new ArrayList<>();
  private final List<Marker> markers = new ArrayList<>();
  private final List<Legend> legend = new ArrayList<>();
  private final List<Double> references = new ArrayList<>();
  private final List<Flag> flags = new ArrayList<>();
  private String[] status;
  private String title = "";
  private double yMin = 0;
  private double yMax = Double.NaN;
  private boolean percent = true;
  private int markerRows;

  /**
   * @param labels one label per period (tooltips)
   * @param ticks the x tick text per period, empty for no tick
   */
  TimeChart(List<String> labels, List<String> ticks, int width, int plotHeight) {
    this.labels = List.copyOf(labels);
    this.ticks = List.copyOf(ticks);
    this.width = width;
    this.plotHeight = plotHeight;
  }

  TimeChart title(String text) {
    this.title = text;
    return this;
  }

  TimeChart band(double[] lower, double[] upper, String colour, double opacity) {
    bands.add(new Band(lower, upper, colour, opacity));
    return this;
  }

  TimeChart line(double[] values, String colour, double width, String dash, boolean dots) {
    lines.add(new Line(values, colour, width, dash, dots));
    return this;
  }

  TimeChart marker(int index, String label, String colour) {
    markers.add(new Marker(index, label, colour));
    return this;
  }

  TimeChart legend(String label, String colour, String dash, boolean band) {
    legend.add(new Legend(label, colour, dash, band));
    return this;
  }

  /** A red alert triangle pointing at {@code value} in period {@code index}; {@code tooltip} on hover. */
  TimeChart flag(int index, double value, String tooltip) {
    flags.add(new Flag(index, value, tooltip));
    return this;
  }

  TimeChart reference(double value) {
    references.add(value);
    return this;
  }

  /** One CSS colour per period (or null for none), drawn as a strip under the x axis. */
  TimeChart status(String[] colours) {
    this.status = colours;
    return this;
  }

  /** The y range; NaN max means from the data. */
  TimeChart y(double min, double max) {
    this.yMin = min;
    this.yMax = max;
    return this;
  }

  /** Plain numbers on the y axis instead of percentages. */
  TimeChart numbers() {
    this.percent = false;
    return this;
  }

  String svg() {
    int n = labels.size();
    double hi = yMax;
    if (Double.isNaN(hi)) {
      hi = 0;
      for (Band b : bands) {
        hi = Math.max(hi, max(b.upper()));
      }
      for (Line l : lines) {
        hi = Math.max(hi, max(l.values()));
      }
      hi = hi <= yMin ? yMin + 0.01 : hi * 1.06;
    }
    double[] yt = ticks(yMin, hi, 4);
    hi = Math.max(hi, yt[yt.length - 1]);
    markerRows = markerRows();
    int left = 58;
    int right = width < 600 ? 24 : 16;
    int top = (title.isEmpty() ? 8 : 26) + markerRows * 14 + (markers.isEmpty() ? 0 : 4);
    int stripH = status == null ? 0 : 14;
    int axisH = 22;
    int legendH = legend.isEmpty() ? 0 : 22;
    int height = top + plotHeight + stripH + axisH + legendH;
    double x0 = left;
    double x1 = width - right;
    boolean few = n <= FEW;
    // few periods: each in the middle of its slot, so that one or two do not sit on the axes
    double step = few ? (x1 - x0) / Math.max(1, n) : (x1 - x0) / (n - 1);
    double pad = few ? step / 2 : 0;
    final double lo = yMin;
    final double top0 = top;
    final double yHi = hi;
    java.util.function.DoubleUnaryOperator ys = v -> top0 + plotHeight * (1 - (Math.max(lo, Math.min(yHi, v)) - lo) / (yHi - lo));
    java.util.function.IntToDoubleFunction xs = i -> x0 + pad + step * i;

    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">",
        width, height, width, height, Html.escape(title)));
    if (!title.isEmpty()) {
      s.append(text(x0, 16, title, "start", 13, "#1d2733", true));
    }
    // grid and y axis
    for (double t : yt) {
      double y = ys.applyAsDouble(t);
      s.append(line(x0, y, x1, y, GRID, 1, ""));
      s.append(text(x0 - 6, y + 4, percent ? pct(t, hi) : Numbers.fixed(t, 2), "end", 11, MUTED, false));
    }
    // references
    for (double r : references) {
      double y = ys.applyAsDouble(r);
      s.append(line(x0, y, x1, y, "#b42318", 1.2, "6 4"));
    }
    // markers
    for (Marker m : markers) {
      double x = xs.applyAsDouble(m.index()) - step / 2;
      s.append(line(x, top - 4, x, top + plotHeight, m.colour(), 1.3, "4 3"));
      double ty = top - 6 - (markerRowOf(m) * 14);
      boolean flip = x > x1 - 150;
      s.append(text(flip ? x - 4 : x + 4, ty, m.label(), flip ? "end" : "start", 11, m.colour(), true));
    }
    // bands
    for (Band b : bands) {
      s.append(few ? intervalBars(b, xs, ys, n) : bandPath(b, xs, ys, n));
    }
    // lines
    int solidLines = 0;
    for (int k = 0; k < lines.size(); k++) {
      Line l = lines.get(k);
      if (few) {
        // each further solid line a little to the right, so that close values do not hide each other
        double dx = l.dash().isEmpty() ? 16 * solidLines++ : 0;
        s.append(points(l, k == 0, i -> xs.applyAsDouble(i) + dx, ys, n));
      } else {
        s.append(linePath(l, xs, ys, n));
      }
    }
    // alert flags
    for (Flag g : flags) {
      if (!Double.isFinite(g.value())) {
        continue;
      }
      double x = xs.applyAsDouble(g.index());
      double y = ys.applyAsDouble(g.value()) - 7;
      s.append(String.format(Locale.ROOT,
          "<path d=\"M%s,%sL%s,%sL%s,%sZ\" fill=\"#d03b2f\" stroke=\"#fff\" stroke-width=\"1\"><title>%s</title></path>",
          f(x - 6), f(y - 10), f(x + 6), f(y - 10), f(x), f(y), Html.escape(g.tooltip())));
    }
    // x axis, ticks
    double axisY = top + plotHeight;
    s.append(line(x0, axisY, x1, axisY, "#c5ced8", 1, ""));
    double stripTop = axisY + 3;
    if (status != null) {
      double w = Math.max(2, (n > 1 ? step : 20) - 1.5);
      for (int i = 0; i < n; i++) {
        if (status[i] != null) {
          s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"9\" rx=\"1.5\" fill=\"%s\"><title>%s</title></rect>",
              xs.applyAsDouble(i) - w / 2, stripTop, w, status[i], Html.escape(labels.get(i))));
        }
      }
    }
    for (int i = 0; i < n; i++) {
      if (!ticks.get(i).isEmpty()) {
        double x = xs.applyAsDouble(i);
        s.append(line(x, axisY, x, axisY + 3 + stripH - 2, "#c5ced8", 1, ""));
        s.append(text(x, axisY + stripH + 16, ticks.get(i), "middle", 11, MUTED, false));
      }
    }
    // legend
    if (!legend.isEmpty()) {
      double lx = x0;
      double ly = height - 7;
      for (Legend g : legend) {
        if (g.band()) {
          boolean solid = "solid".equals(g.dash());
          s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"9\" rx=\"1.5\" fill=\"%s\" fill-opacity=\"%s\"/>",
              solid ? lx + 9 : lx, ly - 8, solid ? 9 : 18, g.colour(), solid ? "1" : "0.25"));
        } else {
          s.append(line(lx, ly - 4, lx + 18, ly - 4, g.colour(), 2, g.dash()));
        }
        s.append(text(lx + 24, ly, g.label(), "start", 11, MUTED, false));
        lx += 34 + g.label().length() * 6.2;
      }
    }
    return s.append("</svg>").toString();
  }

  /** Markers sharing an index stack upward; distinct indices close together alternate rows. */
  private int markerRows() {
    int rows = 0;
    for (Marker m : markers) {
      rows = Math.max(rows, markerRowOf(m) + 1);
    }
    return rows;
  }

  private int markerRowOf(Marker target) {
    int row = 0;
    int lastIndex = Integer.MIN_VALUE;
    for (Marker m : markers) {
      if (m.index() == lastIndex) {
        row++;
      } else {
        row = 0;
        // avoid label collisions with a previous marker that is close on the x axis
        for (Marker p : markers) {
          if (p == m) {
            break;
          }
          if (p.index() != m.index() && Math.abs(p.index() - m.index()) * 1.0 / Math.max(1, labels.size()) < 0.14) {
            row = Math.max(row, rowIgnoringCollisions(p) + 1);
          }
        }
      }
      lastIndex = m.index();
      if (m == target) {
        return row;
      }
    }
    return 0;
  }

  private int rowIgnoringCollisions(Marker target) {
    int row = 0;
    int lastIndex = Integer.MIN_VALUE;
    for (Marker m : markers) {
      row = m.index() == lastIndex ? row + 1 : 0;
      lastIndex = m.index();
      if (m == target) {
        return row;
      }
    }
    return 0;
  }

  private static String bandPath(Band b, java.util.function.IntToDoubleFunction xs, java.util.function.DoubleUnaryOperator ys, int n) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < n) {
      while (i < n && !(finite(b.lower()[i]) && finite(b.upper()[i]))) {
        i++;
      }
      int start = i;
      while (i < n && finite(b.lower()[i]) && finite(b.upper()[i])) {
        i++;
      }
      if (i - start >= 1) {
        StringBuilder d = new StringBuilder();
        for (int k = start; k < i; k++) {
          d.append(k == start ? "M" : "L").append(f(xs.applyAsDouble(k))).append(',').append(f(ys.applyAsDouble(b.upper()[k])));
        }
        for (int k = i - 1; k >= start; k--) {
          d.append('L').append(f(xs.applyAsDouble(k))).append(',').append(f(ys.applyAsDouble(b.lower()[k])));
        }
        d.append('Z');
        out.append("<path d=\"").append(d).append("\" fill=\"").append(b.colour()).append("\" fill-opacity=\"")
            .append(b.opacity()).append("\" stroke=\"none\"/>");
      }
    }
    return out.toString();
  }

  /** Few periods: a vertical bar with caps from lower to upper at each period. */
  private static String intervalBars(Band b, java.util.function.IntToDoubleFunction xs, java.util.function.DoubleUnaryOperator ys, int n) {
    StringBuilder out = new StringBuilder();
    for (int k = 0; k < n; k++) {
      if (!(finite(b.lower()[k]) && finite(b.upper()[k]))) {
        continue;
      }
      double x = xs.applyAsDouble(k);
      double top = ys.applyAsDouble(b.upper()[k]);
      double bottom = ys.applyAsDouble(b.lower()[k]);
      out.append(String.format(Locale.ROOT,
          "<g class=\"interval\"><rect x=\"%s\" y=\"%s\" width=\"18\" height=\"%s\" fill=\"%s\" fill-opacity=\"%s\"/>",
          f(x - 9), f(top), f(Math.max(1, bottom - top)), b.colour(), b.opacity()));
      out.append(line(x, top, x, bottom, b.colour(), 1.6, ""));
      // caps wider than the point, so that a point on a bound does not leave two stray dots
      out.append(line(x - 9, top, x + 9, top, b.colour(), 1.6, ""));
      out.append(line(x - 9, bottom, x + 9, bottom, b.colour(), 1.6, "")).append("</g>");
    }
    return out.toString();
  }

  /**
   * Few periods: a point per period (a dashed line's as a short dash with its value), joined by a
   * thin line when there are two or three; the first line of the chart also writes its values.
   */
  private String points(Line l, boolean labelled, java.util.function.IntToDoubleFunction xs, java.util.function.DoubleUnaryOperator ys,
      int n) {
    StringBuilder out = new StringBuilder();
    if (l.dash().isEmpty()) {
      out.append(linePath(new Line(l.values(), l.colour(), 1, "", false), xs, ys, n));
    }
    for (int k = 0; k < n; k++) {
      double v = l.values()[k];
      if (!finite(v)) {
        continue;
      }
      double x = xs.applyAsDouble(k);
      double y = ys.applyAsDouble(v);
      if (l.dash().isEmpty()) {
        out.append(String.format(Locale.ROOT,
            "<circle class=\"point\" cx=\"%s\" cy=\"%s\" r=\"5\" fill=\"%s\" stroke=\"#fff\" stroke-width=\"1.5\"><title>%s</title></circle>",
            f(x), f(y), l.colour(), Html.escape(labels.get(k) + ": " + (percent ? Numbers.percent(v, 3) : Numbers.fixed(v, 3)))));
      } else {
        // left of the point and its bar, which it would otherwise hide when the values are close
        out.append(line(x - 30, y, x - 12, y, l.colour(), 3, "").replace("<line ", "<line class=\"mark\" "));
        out.append(text(x - 34, y + 4, percent ? Numbers.percent(v, 3) : Numbers.fixed(v, 2), "end", 11, l.colour(), false));
      }
      if (labelled && l.dash().isEmpty()) {
        out.append(text(x + 14, y + 4, percent ? Numbers.percent(v, 3) : Numbers.fixed(v, 2), "start", 12, l.colour(), true));
      }
    }
    return out.toString();
  }

  private static String linePath(Line l, java.util.function.IntToDoubleFunction xs, java.util.function.DoubleUnaryOperator ys, int n) {
    StringBuilder d = new StringBuilder();
    boolean pen = false;
    StringBuilder dots = new StringBuilder();
    for (int k = 0; k < n; k++) {
      double v = l.values()[k];
      if (!finite(v)) {
        pen = false;
        continue;
      }
      d.append(pen ? "L" : "M").append(f(xs.applyAsDouble(k))).append(',').append(f(ys.applyAsDouble(v)));
      pen = true;
      if (l.dots()) {
        dots.append(String.format(Locale.ROOT, "<circle cx=\"%s\" cy=\"%s\" r=\"2\" fill=\"%s\"/>", f(xs.applyAsDouble(k)),
            f(ys.applyAsDouble(v)), l.colour()));
      }
    }
    return "<path d=\"" + d + "\" fill=\"none\" stroke=\"" + l.colour() + "\" stroke-width=\"" + l.width()
        + "\" stroke-linejoin=\"round\" stroke-linecap=\"round\"" + (l.dash().isEmpty() ? "" : " stroke-dasharray=\"" + l.dash() + "\"")
        + "/>" + dots;
  }

  /** About {@code count} round tick values covering [lo, hi]. */
  static double[] ticks(double lo, double hi, int count) {
    double span = hi - lo;
    double raw = span / count;
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double norm = raw / mag;
    double step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
    double first = Math.ceil(lo / step - 1e-9) * step;
    List<Double> out = new ArrayList<>();
    for (double t = first; t <= hi + step * 0.5; t += step) {
      out.add(t);
      if (t >= hi) {
        break;
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static boolean finite(double v) {
    return Double.isFinite(v);
  }

  private static double max(double[] v) {
    double m = 0;
    for (double x : v) {
      if (Double.isFinite(x)) {
        m = Math.max(m, x);
      }
    }
    return m;
  }

  private static String pct(double t, double hi) {
    if (Math.abs(t) < 1e-12) {
      return "0%";
    }
    int decimals = hi * 100 < 2 ? 2 : hi * 100 < 10 ? 1 : 0;
    return Numbers.percentFixed(t, decimals);
  }

  static String f(double v) {
    return Numbers.fixed(v, 1);
  }

  static String line(double xa, double ya, double xb, double yb, String colour, double w, String dash) {
    return "<line x1=\"" + f(xa) + "\" y1=\"" + f(ya) + "\" x2=\"" + f(xb) + "\" y2=\"" + f(yb) + "\" stroke=\"" + colour
        + "\" stroke-width=\"" + w + "\"" + (dash.isEmpty() ? "" : " stroke-dasharray=\"" + dash + "\"") + "/>";
  }

  static String text(double x, double y, String text, String anchor, int size, String colour, boolean bold) {
    return "<text x=\"" + f(x) + "\" y=\"" + f(y) + "\" text-anchor=\"" + anchor + "\" font-size=\"" + size + "\" fill=\""
        + colour + "\"" + (bold ? " font-weight=\"600\"" : "") + ">" + Html.escape(text) + "</text>";
  }
}
