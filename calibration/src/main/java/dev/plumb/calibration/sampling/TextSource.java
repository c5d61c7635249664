package dev.plumb.calibration.sampling;

import java.util.List;

/** Reads back the JSON text of lean candidates (see {@link StratifiedSketch#lean}). */
interface TextSource {
  /** Sets {@code json} of every candidate from its {@code offset} and {@code length} in the frame. */
  void fill(List<Candidate> candidates);
}
