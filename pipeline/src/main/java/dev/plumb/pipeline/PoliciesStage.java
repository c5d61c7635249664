package dev.plumb.pipeline;

import dev.plumb.labeler.policy.Policy;
import java.nio.file.Path;

/** {@code policies}: loads and validates the policy library and selects the run's versions. */
final class PoliciesStage extends RunStage {

  PoliciesStage(RunState state) {
    super("policies", state);
  }

  @Override
  void describe(Key key) {
    key.file("library", state.run.policies().dir()).config("use", state.run.policies().use());
  }

  @Override
  String run(Context context) {
    return "valid: " + String.join(", ", state.policies().stream().map(Policy::key).toList());
  }
}
