package dev.plumb.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plumb.calibration.queue.GoldDesign;
import dev.plumb.core.AtomicOutput;
import dev.plumb.core.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A sequential review inside {@code plumb run}: a review design with {@code rounds: K} and
 * {@code target_half_width:} (docs/review.md, "Sequential review"; docs/run.md, "A review in
 * rounds"). Round k is four stages, each the typed entry point its command calls:
 * {@code queue-rk} (round k's units, {@code queue export --round k --reviewed} the rounds before),
 * {@code answers-rk} (the simulated panel, or a pause until the vendor's file for round k is there),
 * {@code gold-rk} ({@code queue import} of that round), and {@code look-rk}: the gold of rounds 1 … k
 * merged ({@code queue merge-rounds}) and calibrated at round k's α-spending level ({@code calibrate
 * --round-queue}), which records whether every policy's headline interval met the target. The rounds
 * after the first look that met it are not needed; the report is written from the stopping round.
 *
 * <p>Every round's files live in {@code OUTPUT/rounds/rk/}: {@code queue/}, {@code answers.csv},
 * {@code gold.jsonl} (+ the files beside it), {@code merged.jsonl} (+ {@code merged.answers.jsonl},
 * every round's rater answers) and {@code look.json}. Each stage is recorded in the manifest under
 * its own name, so an interrupted run resumes in the round it was in.
 */
final class ReviewRounds {
  /** Where a vendor's answer file names its round: {@code answers/day1-r{round}.csv}. */
  static final String ROUND = "{round}";

  private final Path dir;
  private final int count;

  ReviewRounds(Path out, GoldDesign design) {
    this.dir = out.resolve("rounds");
    this.count = design.rounds().count();
  }

  int count() {
    return count;
  }

  Path queue(int k) {
    return round(k).resolve("queue");
  }

  Path answers(int k) {
    return round(k).resolve("answers.csv");
  }

  /** Round k's own gold ({@code queue import} of its answers). */
  Path gold(int k) {
    return round(k).resolve("gold.jsonl");
  }

  /** The gold of rounds 1 … k, π2 cumulative ({@code queue merge-rounds}). */
  Path merged(int k) {
    return round(k).resolve("merged.jsonl");
  }

  /** What round k's look found ({@link Look}). */
  Path look(int k) {
    return round(k).resolve("look.json");
  }

  /** The gold files of rounds 1 … k. */
  List<Path> golds(int k) {
    List<Path> out = new ArrayList<>();
    for (int j = 1; j <= k; j++) {
      out.add(gold(j));
    }
    return out;
  }

  /** The vendor's answer files for round k: {@value #ROUND} in each name replaced by k. */
  static List<Path> vendorFiles(List<Path> files, int k) {
    return files.stream().map(f -> Path.of(f.toString().replace(ROUND, Integer.toString(k)))).toList();
  }

  /** The round the review stopped at: the first whose look met the target, else the last. */
  int stop() {
    for (int k = 1; k <= count; k++) {
      Look l = Look.read(look(k));
      if (l != null && l.met()) {
        return k;
      }
    }
    return count;
  }

  /**
   * Why round k is not needed (an earlier look met the target), or null. Asked when round k's stages
   * come up, so the looks before it are this run's.
   */
  String notNeeded(int k) {
    for (int j = 1; j < k; j++) {
      Look l = Look.read(look(j));
      if (l != null && l.met()) {
        return "round " + j + " met the target";
      }
    }
    return null;
  }

  /**
   * The stages of every round, in order, and the report: {@code queue-rk}, {@code answers-rk},
   * {@code gold-rk}, {@code look-rk} for k = 1 … K.
   */
  List<Stage> stages(RunState state, Path sample, Path labels) {
    RunFile.Review r = state.run.review();
    List<Stage> s = new ArrayList<>();
    for (int k = 1; k <= count; k++) {
      List<Path> answers;
      Stage answer;
      if (r.answers() instanceof RunFile.Simulate sim) {
        answers = List.of(answers(k));
        answer = new SimulateStage("answers-r" + k, state, sim, queue(k), answers(k));
      } else {
        answers = vendorFiles(((RunFile.Vendor) r.answers()).files(), k);
        answer = new AwaitAnswersStage("answers-r" + k, queue(k), answers, "round " + k + " of " + count + ": ");
      }
      s.add(inRound(k, new QueueStage("queue-r" + k, state, sample, labels, queue(k), k, golds(k - 1))));
      s.add(inRound(k, answer));
      s.add(inRound(k, new GoldStage("gold-r" + k, state, answers, queue(k), gold(k))));
      s.add(new LookStage(state, this, k, sample, labels));
    }
    s.add(new ReportStage(state, sample, labels, this));
    return s;
  }

  /**
   * {@code stage} of round k: not needed once an earlier round met the target, and then the round's
   * folder goes whole (with the files beside the gold no stage lists), left by a run that went further.
   */
  private Stage inRound(int k, Stage stage) {
    return new Stage(stage.name()) {
      @Override
      String notNeeded() {
        String why = ReviewRounds.this.notNeeded(k);
        if (why != null) {
          Inputs.delete(round(k));
        }
        return why;
      }

      @Override
      void describe(Key key) {
        stage.describe(key);
      }

      @Override
      List<Path> outputs() {
        return stage.outputs();
      }

      @Override
      boolean resumes() {
        return stage.resumes();
      }

      @Override
      String run(Context context) {
        return stage.run(context);
      }
    };
  }

  private Path round(int k) {
    return dir.resolve("r" + k);
  }

  /**
   * What round k's look found ({@code rounds/rk/look.json}, written by the run and read only by it).
   *
   * @param met whether every policy's headline relative half-width is within the target
   * @param status the line {@code calibrate --round-queue} prints ({@link
   *     dev.plumb.calibration.queue.SequentialReview.Round#status})
   * @param reviewed the sampled units reviewed in rounds 1 … k
   * @param planned the sampled units the design reviews after its last round (its n)
   */
  record Look(int round, int of, double level, boolean met, String status, int reviewed, int planned) {
    /** The report's note and the run's closing line. */
    String summary() {
      return status + String.format(java.util.Locale.ROOT, ". Reviewed %,d of the design's %,d units in %d of %d rounds.",
          reviewed, planned, round, of);
    }

    void write(Path file) {
      AtomicOutput.write(file, Json.pretty(Json.mapper().valueToTree(this)));
    }

    /** The look recorded in {@code file}; null when there is none (or it cannot be read: the look runs again). */
    static Look read(Path file) {
      if (!Files.isRegularFile(file)) {
        return null;
      }
      try {
        JsonNode n = Json.read(file);
        return new Look(n.path("round").asInt(), n.path("of").asInt(), n.path("level").asDouble(),
            n.path("met").asBoolean(), n.path("status").asText(), n.path("reviewed").asInt(), n.path("planned").asInt());
      } catch (RuntimeException e) {
        return null;
      }
    }
  }
}
