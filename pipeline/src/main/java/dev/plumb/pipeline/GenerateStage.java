package dev.plumb.pipeline;

import dev.plumb.units.synthetic.LogGenerator;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;

/** {@code generate}: synthetic logging tables with known truth ({@link LogGenerator}) into {@code logs/}. */
final class GenerateStage extends RunStage {
  /** The first day of the generated logs, as {@code plumb units generate}'s default. */
  static final LocalDate START = LocalDate.of(2026, 11, 25);

  private final RunFile.Generate g;
  private final Path logs;

  GenerateStage(RunState state, RunFile.Generate g, Path logs) {
    super("generate", state, logs);
    this.g = g;
    this.logs = logs;
  }

  @Override
  void describe(Key key) {
    key.config("interactions", g.interactions()).config("seed", g.seed()).config("days", g.days());
    if (g.reviewed() > 0) {
      key.config("reviewed", g.reviewed());
    }
  }

  @Override
  String run(Context context) {
    context.detail("synthetic logging tables, " + String.format(Locale.ROOT, "%,d", g.interactions()) + " interactions");
    Path partial = state.out.resolve(".logs.partial");
    Inputs.delete(partial);
    LogGenerator.Result r = LogGenerator.generate(new LogGenerator.Options(partial, g.interactions(), g.seed(), g.days(),
        START, LogGenerator.Format.CSV, g.reviewed()));
    RunState.swap(partial, logs);
    return String.format(Locale.ROOT, "%,d interactions of synthetic logs with known truth%s -> %s",
        r.interactions(), g.reviewed() > 0 ? String.format(Locale.ROOT, ", texts of %,d past reviewed ones",
            g.reviewed()) : "", RunState.rel(logs));
  }
}
