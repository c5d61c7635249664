package dev.plumb.calibration.sampling;

import java.io.Serializable;

/**
 * The frame totals of a design drawn by size (poisson, ppswr, priority): the total size, the number
 * of units with a positive size, and the units whose score was raised to the size measure's floor.
 * Serializable and mergeable like the sketches that hold it; not thread-safe.
 */
final class SizeTally implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Sum size = new Sum();
  private long positive;
  private long floored;
  private final Sum flooredSize = new Sum();

  /**
   * Tallies {@code unit} and returns its size under {@code measure}; only a unit with a size above 0
   * counts towards {@link #total} and {@link #positive} (and can be drawn).
   *
   * @throws dev.plumb.core.InputException when the size cannot be computed (see {@link SizeMeasure#of})
   */
  double add(FrameUnit unit, SizeMeasure measure) {
    double s = measure.of(unit);
    if (measure.usesScores() && measure.floored(unit)) {
      floored++;
      flooredSize.add(s);
    }
    if (s > 0) {
      size.add(s);
      positive++;
    }
    return s;
  }

  void merge(SizeTally other) {
    size.add(other.size);
    positive += other.positive;
    floored += other.floored;
    flooredSize.add(other.flooredSize);
  }

  /** The total size of the units offered (compensated sum). */
  double total() {
    return size.value();
  }

  /** How many units have a size above 0. */
  long positive() {
    return positive;
  }

  Sample.Floored floored() {
    return new Sample.Floored(floored, flooredSize.value());
  }
}
