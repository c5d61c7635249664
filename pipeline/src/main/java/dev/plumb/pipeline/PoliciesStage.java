package dev.plumb.pipeline;

import dev.plumb.labeler.policy.Policy;
import java.nio.file.Path;
import java.util.List;

/** {@code policies}: loads and validates the policy library and selects the run's versions. */
final class PoliciesStage extends Stage {
  private final RunState state;

  PoliciesStage(RunState state) {
    super("policies");
    this.state = state;
  }

  @Override
  void describe(Key key) {
    key.file("library", state.run.policies().dir()).config("use", state.run.policies().use());
  }

  @Override
  List<Path> outputs() {
    return List.of();
  }

  @Override
  String run(Context context) {
    return "valid: " + String.join(", ", state.policies().stream().map(Policy::key).toList());
  }
}
