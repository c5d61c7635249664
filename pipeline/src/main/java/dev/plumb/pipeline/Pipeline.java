package dev.plumb.pipeline;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs stages in order, skipping each one whose inputs and configuration (its fingerprint) and
 * outputs are what the manifest recorded when it last finished. A stage that runs changes its
 * outputs' digests, and so the fingerprints of the stages that read them: a change anywhere
 * redoes exactly the stages downstream of it whose inputs actually changed.
 */
final class Pipeline {
  /** Bump to invalidate every recorded stage (e.g. when a stage's output format changes). */
  static final int VERSION = 1;

  /** How one stage ended. */
  enum Status {
    RAN,
    SKIPPED
  }

  /** One stage's outcome, for the summary. */
  record Outcome(String stage, Status status, double seconds, String detail) {}

  /** Everything that happened, in order; {@code paused} is the message when a stage paused the run. */
  record Result(List<Outcome> outcomes, String paused) {}

  private final Path dir;
  private final Progress progress;
  private final String build;

  /**
   * @param dir the output folder; the manifest lives there and output paths are recorded relative to it
   * @param build the plumb version and commit: part of every fingerprint, because another plumb may
   *     compute a stage differently from the same inputs (a classifier, an estimator, a report)
   */
  Pipeline(Path dir, Progress progress, String build) {
    this.dir = dir;
    this.progress = progress;
    this.build = build;
  }

  Result run(List<Stage> stages) {
    Manifest manifest = Manifest.load(dir);
    List<Outcome> outcomes = new java.util.ArrayList<>();
    int n = stages.size();
    progress.nameWidth(stages.stream().mapToInt(st -> st.name().length()).max().orElse(0));
    for (int i = 0; i < n; i++) {
      Stage stage = stages.get(i);
      progress.begin(i + 1, n, stage.name());
      String notNeeded = stage.notNeeded();
      if (notNeeded != null) {
        // a later round of a review that already stopped: its record and outputs (from a run that
        // went further) go, so that what is on disk is what the report used
        if (manifest.get(stage.name()) != null) {
          manifest.remove(stage.name());
          manifest.write();
        }
        stage.outputs().forEach(Inputs::delete);
        progress.end(Status.SKIPPED, "not needed: " + notNeeded);
        continue;
      }
      long t0 = System.nanoTime();
      Stage.Key key = new Stage.Key();
      stage.describe(key);
      key.config("plumb", build);
      String fingerprint = key.fingerprint(stage.name(), VERSION);
      Manifest.Entry last = manifest.get(stage.name());
      if (last != null && last.fingerprint().equals(fingerprint) && last.outputs().equals(digests(stage.outputs()))) {
        progress.end(Status.SKIPPED, "unchanged since " + last.finished());
        outcomes.add(new Outcome(stage.name(), Status.SKIPPED, 0, last.detail()));
        continue;
      }
      // forget the old record first: if this attempt dies, the next run must not trust old outputs
      if (last != null) {
        manifest.remove(stage.name());
        manifest.write();
        // The outputs of a finished run with other inputs are stale, not partial: a resuming stage
        // (the labeler) must not carry them over (labels of units no longer in the sample). They are
        // reproducible from the inputs, and paid model answers stay in the labeler's response cache.
        // Without a record (first run, or an interrupted one) outputs are kept so the stage resumes.
        // Any other stage replaces its outputs atomically, so the old ones stay until the new are whole.
        if (stage.resumes()) {
          stage.outputs().forEach(Inputs::delete);
        }
      }
      String detail;
      try {
        detail = stage.run(progress::detail);
      } catch (Stage.Paused p) {
        progress.end(Status.RAN, "waiting");
        return new Result(outcomes, p.getMessage());
      } catch (RuntimeException e) {
        progress.fail();
        throw e;
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      manifest.put(stage.name(), new Manifest.Entry(fingerprint, key.config(), key.inputs(), digests(stage.outputs()),
          Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(), seconds, detail));
      manifest.write();
      progress.end(Status.RAN, detail);
      outcomes.add(new Outcome(stage.name(), Status.RAN, seconds, detail));
    }
    return new Result(outcomes, null);
  }

  private Map<String, String> digests(List<Path> outputs) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Path p : outputs) {
      Path abs = p.toAbsolutePath().normalize();
      Path root = dir.toAbsolutePath().normalize();
      String name = abs.startsWith(root) ? root.relativize(abs).toString().replace('\\', '/') : abs.toString();
      out.put(name, Inputs.hash(p));
    }
    return out;
  }
}
