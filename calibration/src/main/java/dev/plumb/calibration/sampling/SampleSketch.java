package dev.plumb.calibration.sampling;

import java.io.Serializable;

/**
 * The one-pass state of a design over (part of) a frame. Offer every unit once, in any order; merge
 * the sketches of a frame's partitions (same design, same seed) in any grouping; finish once. The
 * sample is the same whatever the order and the partitioning, because every random number comes
 * from the seed and the unit's id ({@link UnitRandom}); totals are compensated sums, equal to ~1e-15
 * relative across groupings.
 *
 * <p>Memory is proportional to the sample: n units for srs, priority and ppswr, about 2n for poisson,
 * n per stratum for stratified designs with proportional or Neyman allocation ({@code n_h} with fixed
 * sizes). Sketches are {@link Serializable} (Java serialisation) so that an engine such as Spark can
 * ship them between workers. Not thread-safe: one sketch per partition.
 */
public sealed interface SampleSketch extends Serializable permits BaseSketch {

  /**
   * Adds one unit.
   *
   * @throws dev.plumb.core.InputException when the unit lacks what the design needs (a score, an
   *     attribute) or its size is invalid, naming the unit's file, line and field
   */
  void offer(FrameUnit unit);

  /**
   * Adds everything {@code other} has seen to this sketch and returns this. {@code other} must not
   * be used afterwards.
   *
   * @throws IllegalArgumentException when the sketches have different designs or seeds
   */
  SampleSketch merge(SampleSketch other);

  /**
   * The sample.
   *
   * @param frameName how to name the frame in messages
   * @throws dev.plumb.core.InputException when the frame cannot give the design's sample (a sample
   *     size larger than the frame, an empty stratum, a stratum without a fixed size), located at the
   *     design option concerned
   */
  Sample finish(String frameName);
}
