package dev.plumb.cli;

import dev.plumb.calibration.queue.QueueExport;
import dev.plumb.calibration.queue.QueueImport;
import dev.plumb.calibration.report.ReportFiles;
import dev.plumb.calibration.sampling.Sampler;
import dev.plumb.core.AtomicOutput;
import dev.plumb.core.InputException;
import dev.plumb.labeler.batch.LabelerConfig;
import dev.plumb.units.UnitBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The one check every command's output path gets before the command runs (called from {@link
 * Main} for whichever command was parsed, so no command can forget it):
 *
 * <ul>
 *   <li>no file the command writes ({@code --out} and the files it writes beside or inside it) may be
 *       one of its inputs (every other path option or parameter), compared as real paths, symlinks
 *       resolved — {@code plumb sample --frame f.jsonl --out f.jsonl} would replace the frame;
 *   <li>a file output ({@code --out FILE}) must not be an existing folder or lie under a regular file;
 *       a folder output ({@code --out DIR}) must not be an existing file.
 * </ul>
 *
 * Each mistake is an {@link InputException} (exit 2) of one line naming the option and the path.
 */
final class OutputPaths {
  private OutputPaths() {}

  private static final String OUT = "--out";

  /** What a command writes for its {@code --out}, by qualified command name; the default is {@code --out} alone. */
  private static final Map<String, Function<Path, List<Path>>> WRITES = Map.of(
      "plumb sample", out -> List.of(out, Sampler.manifestPath(out)),
      "plumb units build", out -> List.of(out, UnitBuilder.manifestFor(out)),
      "plumb label", out -> List.of(out, LabelerConfig.defaultRunFile(out)),
      "plumb queue import", QueueImport::files,
      "plumb queue export", QueueExport::files,
      "plumb calibrate", dir -> List.of(dir.resolve(ReportFiles.JSON), dir.resolve(ReportFiles.MARKDOWN),
          dir.resolve(ReportFiles.HTML)));

  /** Checks the command {@code parsed} chose; does nothing when help or the version was asked for. */
  static void check(ParseResult parsed) {
    ParseResult leaf = parsed;
    while (true) {
      if (leaf.isUsageHelpRequested() || leaf.isVersionHelpRequested()) {
        return;
      }
      if (!leaf.hasSubcommand()) {
        break;
      }
      leaf = leaf.subcommand();
    }
    check(leaf.commandSpec());
  }

  static void check(CommandSpec spec) {
    OptionSpec outOption = spec.findOption(OUT);
    if (outOption == null || !(outOption.getValue() instanceof Path out)) {
      return;
    }
    boolean folder = "DIR".equals(outOption.paramLabel());
    checkShape(out, folder);
    List<Path> writes = WRITES.getOrDefault(spec.qualifiedName(), List::of).apply(out);
    if (writes.isEmpty()) {
      writes = List.of(out);
    }
    List<ArgSpec> inputs = new ArrayList<>(spec.positionalParameters());
    for (OptionSpec o : spec.options()) {
      if (o != outOption) {
        inputs.add(o);
      }
    }
    for (Path written : writes) {
      Path real = real(written);
      for (ArgSpec input : inputs) {
        for (Path in : paths(input.getValue())) {
          if (real.equals(real(in))) {
            String what = written.equals(out) ? OUT + " " + out : OUT + " " + out + ": the file it writes beside it, " + written + ",";
            throw new InputException(what + " would replace the " + name(input) + " input " + in
                + "; write the output somewhere else");
          }
        }
      }
    }
  }

  private static void checkShape(Path out, boolean folder) {
    if (folder) {
      if (Files.isRegularFile(out)) {
        throw new InputException(OUT + " " + out + ": is a file; this command writes a folder there (give a folder name)");
      }
      for (Path p = out.toAbsolutePath().getParent(); p != null && !Files.isDirectory(p); p = p.getParent()) {
        if (Files.isRegularFile(p)) {
          throw new InputException(OUT + " " + out + ": cannot be written: " + p + " is a file, not a folder");
        }
      }
      return;
    }
    try {
      AtomicOutput.checkTarget(out);
    } catch (InputException e) {
      throw new InputException(OUT + " " + e.getMessage());
    }
  }

  private static List<Path> paths(Object value) {
    if (value instanceof Path p) {
      return List.of(p);
    }
    List<Path> all = new ArrayList<>();
    if (value instanceof Iterable<?> values) {
      for (Object v : values) {
        if (v instanceof Path p) {
          all.add(p);
        }
      }
    }
    return all;
  }

  private static String name(ArgSpec arg) {
    return arg instanceof OptionSpec o ? o.longestName() : arg.paramLabel();
  }

  /**
   * {@code p} with its deepest existing ancestor resolved to its real path (symlinks followed) and
   * the missing rest appended, so an output that does not exist yet still compares.
   */
  private static Path real(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    Path existing = abs;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return abs;
    }
    try {
      return existing.toRealPath().resolve(existing.relativize(abs));
    } catch (IOException e) {
      return abs;
    }
  }
}
