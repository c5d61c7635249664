package dev.plumb.pipeline;

import dev.plumb.calibration.queue.Panel;
import dev.plumb.calibration.synthetic.QueueSimulation;
import dev.plumb.core.InputException;
import dev.plumb.core.Seed;
import java.nio.file.Path;

/** {@code answers} on synthetic data: a seeded simulated panel answers the queue from the truth ({@link QueueSimulation}). */
final class SimulateStage extends RunStage {
  private final RunFile.Simulate sim;
  private final Path queue;
  private final Path answers;

  SimulateStage(RunState state, RunFile.Simulate sim, Path queue, Path answers) {
    this("answers", state, sim, queue, answers);
  }

  /** Named {@code answers-rK} in round K of a sequential review. */
  SimulateStage(String name, RunState state, RunFile.Simulate sim, Path queue, Path answers) {
    super(name, state, answers);
    this.sim = sim;
    this.queue = queue;
    this.answers = answers;
  }

  @Override
  void describe(Key key) {
    key.file("queue", queue).file("truth", state.truth.truthLabels()).input("panel", sim.panel().fingerprint())
        .config("seed", sim.seed());
  }

  @Override
  String run(Context context) {
    context.detail("a simulated rater panel answers the queue from the known truth");
    Path file = sim.panel().materialize(state.config, "panel");
    Panel panel;
    try {
      panel = Panel.read(file);
    } catch (InputException e) {
      throw sim.panel().relocate(e, file);
    }
    Seed seed = Seed.of(sim.seed(), panel.seed());
    QueueSimulation.Result r = QueueSimulation.run(queue, state.truth.truthLabels(), panel, seed.value(), answers);
    return StageLines.queueSimulation(r, seed);
  }

}
