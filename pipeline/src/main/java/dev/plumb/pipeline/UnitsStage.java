package dev.plumb.pipeline;

import dev.plumb.units.UnitBuilder;
import dev.plumb.units.UnitsConfig;
import java.nio.file.Path;
import java.util.Locale;

/** {@code units}: one unit per interaction from the logging tables a {@code units.yaml} maps ({@link UnitBuilder}). */
final class UnitsStage extends RunStage {
  /** DuckDB's memory limit, as {@code plumb units build}'s default. */
  static final String MEMORY = "1GB";

  private final Path unitsYaml;
  private final Path units;

  UnitsStage(RunState state, Path unitsYaml, Path units) {
    super("units", state, units);
    this.unitsYaml = unitsYaml;
    this.units = units;
  }

  @Override
  void describe(Key key) {
    // the tables the config names are read by content through the folder they are in
    key.file("config", unitsYaml).file("tables", unitsYaml.toAbsolutePath().getParent());
  }

  @Override
  String run(Context context) {
    context.detail("building units from " + RunState.rel(unitsYaml));
    UnitBuilder.Summary s = UnitBuilder.build(new UnitBuilder.Options(UnitsConfig.read(unitsYaml), units, false, MEMORY,
        Runtime.getRuntime().availableProcessors(), state.createdBy));
    return String.format(Locale.ROOT, "%,d units -> %s", s.units(), RunState.rel(units));
  }
}
