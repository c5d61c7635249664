package dev.plumb.labeler.local;

import dev.plumb.core.AtomicOutput;
import dev.plumb.core.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Trained models on disk, one JSON file per (policy version, training data, embedding model,
 * classifier version), named {@code <policy>@<version>-<key>.json}. A file that cannot be read or
 * does not match its key is treated as absent and replaced by a fresh training.
 */
final class ModelStore {
  private final Path dir;

  ModelStore(Path dir) {
    this.dir = dir;
  }

  Path path(String policyKey, String key) {
    String hex = key.startsWith("sha256:") ? key.substring(7) : key;
    return dir.resolve(policyKey + "-" + hex.substring(0, 16) + ".json");
  }

  /** The saved model with exactly this key, or {@code null}. */
  PolicyModel load(String policyKey, String key) {
    Path file = path(policyKey, key);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      PolicyModel model = PolicyModel.fromJson(Json.mapper().readTree(file.toFile()));
      return model.key().equals(key) ? model : null;
    } catch (IOException | RuntimeException e) {
      return null; // a damaged cache entry costs one retraining, never a wrong answer
    }
  }

  void save(PolicyModel model) {
    AtomicOutput.write(path(model.policy(), model.key()), Json.line(model.toJson()) + "\n");
  }
}
