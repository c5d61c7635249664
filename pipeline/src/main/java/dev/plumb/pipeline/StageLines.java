package dev.plumb.pipeline;

import dev.plumb.calibration.queue.GoldDesign;
import dev.plumb.calibration.queue.QueueExport;
import dev.plumb.calibration.queue.QueueImport;
import dev.plumb.calibration.review.ConsensusMethod;
import dev.plumb.calibration.synthetic.QueueSimulation;
import dev.plumb.core.Seed;
import java.util.Locale;

/**
 * The first line of a review step's summary, written once for both front ends: the command prints
 * it first ({@code plumb queue export}, {@code simulate}, {@code import}) and the {@code plumb run}
 * stage shows it as the stage's summary.
 */
public final class StageLines {
  private StageLines() {}

  /** E.g. "stratified review of 2,000 sampled units, seed 5". */
  public static String queueExport(GoldDesign design, QueueExport.Result r, Seed seed) {
    return String.format(Locale.ROOT, "%s review of %,d sampled units, seed %d%s", design.type(), r.sampleUnits(),
        seed.value(), seed.note());
  }

  /** E.g. "19,392 simulated answers, seed 11". */
  public static String queueSimulation(QueueSimulation.Result r, Seed seed) {
    return String.format(Locale.ROOT, "%,d simulated answers, seed %d%s", r.answers(), seed.value(), seed.note());
  }

  /** E.g. "19,392 answers on 1,212 items (12 honeypots); consensus: majority". */
  public static String queueImport(QueueImport.Result r, ConsensusMethod method) {
    return String.format(Locale.ROOT, "%,d answers on %,d items (%,d honeypots); consensus: %s", r.answers(),
        r.items() + r.honeypots(), r.honeypots(), method.label());
  }
}
