package dev.plumb.pipeline;

import java.nio.file.Path;

/** A stage of {@code plumb run}: it reads the run file and shared resources from the run's {@link RunState}. */
abstract class RunStage extends Stage {
  final RunState state;

  RunStage(String name, RunState state, Path... outputs) {
    super(name, outputs);
    this.state = state;
  }
}
