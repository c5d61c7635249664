package dev.plumb.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plumb.calibration.files.LabelFile;
import dev.plumb.core.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One step of a run: what its result depends on (configuration and the content of its inputs),
 * the files it writes, and the work. {@link Pipeline} skips a stage whose fingerprint and outputs
 * are those the manifest recorded when it last finished.
 */
abstract class Stage {
  private final String name;
  private final List<Path> outputs;

  /** A stage named {@code name} that writes {@code outputs} (files or folders; may be none). */
  Stage(String name, Path... outputs) {
    this.name = name;
    this.outputs = List.of(outputs);
  }

  /** Short, stable name: the manifest key and what the progress display shows. */
  final String name() {
    return name;
  }

  /**
   * What the result depends on, computed just before the stage would run (after the stages before
   * it finished, so their outputs can be hashed).
   */
  abstract void describe(Key key);

  /** Files or folders the stage writes (may be empty). */
  List<Path> outputs() {
    return outputs;
  }

  /**
   * Whether the stage resumes from what it finds in its outputs (the labeler appends to its label
   * file). Only such a stage has its outputs deleted before it reruns for other inputs, so that it
   * cannot carry stale results over; every other stage replaces its outputs whole when it finishes,
   * and until then the previous ones stay (a run killed mid-report keeps the last report.html).
   */
  boolean resumes() {
    return false;
  }

  /**
   * Why the stage is not needed in this run, or null when it is: asked just before the stage would
   * run, after the stages before it finished (a later round of a sequential review that already met
   * its target). A stage not needed is neither run nor recorded, and its outputs are deleted.
   */
  String notNeeded() {
    return null;
  }

  /**
   * Does the work. Outputs appear whole or not at all (or, for an append-only output such as the
   * label file, in a state the next attempt resumes from).
   *
   * @return a short line saying what was done, for the progress display
   */
  abstract String run(Context context);

  /** What a stage's result depends on, collected into a fingerprint. */
  static final class Key {
    private final ObjectNode config = Json.object();
    private final ObjectNode inputs = Json.object();
    private final List<Path> files = new ArrayList<>();

    /** A configuration value (anything {@link Json} can write). */
    Key config(String name, Object value) {
      config.set(name, value instanceof JsonNode j ? j : Json.mapper().valueToTree(value));
      return this;
    }

    /** An input file or folder, by content. */
    Key file(String name, Path path) {
      inputs.put(name, Inputs.hash(path));
      files.add(path);
      return this;
    }

    /**
     * A label file, by the content its readers use ({@link LabelFile#contentDigest}): a relabeling
     * that gives the same answers in another order or with other latencies changes nothing downstream.
     */
    Key labels(String name, Path path) {
      inputs.put(name, Files.isRegularFile(path) ? LabelFile.contentDigest(path) : Inputs.hash(path));
      files.add(path);
      return this;
    }

    /** An input file or folder the run file may leave out: {@code null} adds nothing. */
    Key fileIfGiven(String name, Path path) {
      return path == null ? this : file(name, path);
    }

    /** An input known by its own digest (a policy's sha256, a model id). */
    Key input(String name, String digest) {
      inputs.put(name, digest);
      return this;
    }

    JsonNode config() {
      return config;
    }

    JsonNode inputs() {
      return inputs;
    }

    String fingerprint(String stage, int version) {
      ObjectNode all = Json.object();
      all.put("stage", stage);
      all.put("version", version);
      all.set("config", config);
      all.set("inputs", inputs);
      return dev.plumb.core.Hashing.sha256(Json.canonical(all));
    }
  }

  /** What a running stage may use: the progress line and the run's shared resources. */
  interface Context {
    /** Replaces the detail shown after the stage's name (e.g. "1,200/4,000 labels"). */
    void detail(String text);
  }

  /**
   * Raised by a stage that cannot go on yet and is not failing, e.g. waiting for reviewers' answers.
   * The run stops with the message and exit code 0; a rerun continues from here.
   */
  static final class Paused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Paused(String message) {
      super(message, null, false, false);
    }
  }
}
