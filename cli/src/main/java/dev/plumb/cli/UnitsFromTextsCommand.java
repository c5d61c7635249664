package dev.plumb.cli;

import dev.plumb.core.Numbers;
import dev.plumb.units.TextUnits;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code plumb units from-texts}: a frame from a file of texts ({@link TextUnits}). */
@Command(
    name = "from-texts",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Make a frame (units.jsonl) from your own texts: one unit per record of a JSON Lines or CSV",
      "file, with the record's text as its one component. Units are numbered t-1, t-2, ... unless",
      "--id names an id field; each weighs 1 unless --weight names a weight field. Every problem of",
      "the file is reported in one run, and nothing is written until there is none. docs/units.md",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  plumb units from-texts --in moderation.jsonl --text prompt --out units.jsonl",
      "  plumb units from-texts --in posts.csv --text body --id post_id --weight views --kind query --out units.jsonl"
    })
final class UnitsFromTextsCommand extends ActionCommand {
  @Option(names = "--in", required = true, paramLabel = "FILE",
      description = "The texts: JSON Lines (one object per line, .gz allowed) or CSV with a header (.csv).")
  Path in;

  @Option(names = "--text", required = true, paramLabel = "FIELD", description = "The field holding each text.")
  String text;

  @Option(names = "--id", paramLabel = "FIELD", description = "The field holding each unit's id (default: t-1, t-2, ... in file order).")
  String id;

  @Option(names = "--weight", paramLabel = "FIELD",
      description = "The field holding each unit's weight, a number >= 0 such as impressions (default: 1 each).")
  String weight;

  @Option(names = "--kind", paramLabel = "KIND", defaultValue = "text",
      description = "The component kind: text, query, response, ... (default: ${DEFAULT-VALUE}).")
  String kind;

  @Mixin UnitsFileOption out;

  @Override
  public Integer call() {
    TextUnits.Result r = TextUnits.run(new TextUnits.Request(in, text, id, weight, kind, out.file));
    out().printf("wrote %s units (total weight %s) to %s%n", Numbers.count(r.units()),
        Numbers.count(r.weight()), r.out());
    return ExitCode.OK;
  }
}
