package dev.plumb.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --by ATTR}: the unit attributes a command also reports per value of ({@code plumb estimate}, {@code calibrate}, {@code backfill}). */
final class BreakdownOption {
  @Option(names = "--by", paramLabel = "ATTR", description = "Also report per value of this unit attribute (repeatable).")
  List<String> attributes = new ArrayList<>();
}
