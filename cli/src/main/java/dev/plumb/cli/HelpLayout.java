package dev.plumb.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.Help.TextTable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * How plumb's help is laid out at any width. picocli breaks lines with the JDK's line {@code
 * BreakIterator}, which breaks after every '.', ':' and '/' ("report.\nhtml", "http:\n//localhost"),
 * and prints each description line as written, so text wrapped by hand at 100 columns came out
 * cut again at 80. Here:
 *
 * <ul>
 *   <li>text breaks only at spaces; a word longer than the line stays whole on its own line;
 *   <li>description and footer lines written one after another form one paragraph, re-wrapped to
 *       the width; an empty line ends a paragraph, and a line starting with a space (an example
 *       command) or "- " (a list item) is printed as written, never wrapped;
 *   <li>the command list shows each command's first sentence, whole (a long one by its clause
 *       before a colon: "Plan a sample.").
 * </ul>
 */
final class HelpLayout extends Help {

  HelpLayout(CommandSpec spec, ColorScheme scheme) {
    super(spec, scheme);
  }

  private int width() {
    return commandSpec().usageMessage().width();
  }

  @Override
  public String description(Object... params) {
    return paragraphs(commandSpec().usageMessage().description());
  }

  @Override
  public String footer(Object... params) {
    return paragraphs(commandSpec().usageMessage().footer());
  }

  @Override
  public String commandList(Map<String, Help> subcommands) {
    if (subcommands.isEmpty()) {
      return "";
    }
    int nameWidth = 0;
    for (Help h : subcommands.values()) {
      nameWidth = Math.max(nameWidth, commandNamesText(h).plainString().length());
    }
    int indent = 2 + nameWidth + 2;
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Help> e : subcommands.entrySet()) {
      Help h = e.getValue();
      if (h.commandSpec().usageMessage().hidden()) {
        continue;
      }
      String name = commandNamesText(h).plainString();
      List<String> lines = wrap(summary(h.commandSpec()), Math.max(20, width() - indent));
      sb.append("  ").append(name).append(" ".repeat(nameWidth - name.length() + 2));
      for (int i = 0; i < lines.size(); i++) {
        sb.append(i == 0 ? "" : " ".repeat(indent)).append(lines.get(i)).append(System.lineSeparator());
      }
    }
    return sb.toString();
  }

  private Text commandNamesText(Help h) {
    return h.commandNamesText(", ");
  }

  /** The first sentence of a command's description (its header if it has one): what the command list shows. */
  static String summary(CommandSpec spec) {
    String[] header = spec.usageMessage().header();
    String[] source = header.length > 0 ? header : spec.usageMessage().description();
    List<String> paragraphs = new ArrayList<>();
    collect(source, paragraphs);
    String first = paragraphs.isEmpty() ? "" : paragraphs.get(0);
    int end = sentenceEnd(first);
    String sentence = end < 0 ? first : first.substring(0, end + 1);
    // a long sentence that opens with a statement and a colon is listed by that statement
    int colon = sentence.indexOf(": ");
    return sentence.length() > LONG_SUMMARY && colon > 0 ? sentence.substring(0, colon) + "." : sentence;
  }

  /** Characters beyond which a command's first sentence is listed by the clause before its colon. */
  private static final int LONG_SUMMARY = 140;

  /** The index of the '.' that ends the first sentence ("e.g." and "docs/x.md" do not), or -1. */
  private static int sentenceEnd(String text) {
    for (int i = text.indexOf(". "); i >= 0; i = text.indexOf(". ", i + 1)) {
      String before = text.substring(text.lastIndexOf(' ', i) + 1, i + 1);
      if (!before.equals("e.g.") && !before.equals("i.e.") && !before.equals("etc.") && !before.equals("vs.")) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public Layout createDefaultLayout() {
    return createDefaultLayout(
        commandSpec().options(), commandSpec().positionalParameters(), colorScheme());
  }

  @Override
  public Layout createDefaultLayout(List<OptionSpec> options, List<PositionalParamSpec> positionals, ColorScheme scheme) {
    int longWidth = calcLongOptionColumnWidth(options, positionals, scheme);
    // picocli's default columns: required marker, short name, comma, long names, description
    Column[] columns = {
      new Column(2, 0, Column.Overflow.TRUNCATE),
      new Column(2, 0, Column.Overflow.SPAN),
      new Column(1, 0, Column.Overflow.TRUNCATE),
      new Column(longWidth, 1, Column.Overflow.SPAN),
      new Column(width() - longWidth - 5, 1, Column.Overflow.WRAP)
    };
    return new Layout(scheme, new SpaceWrappedTable(scheme, columns), createDefaultOptionRenderer(), createDefaultParameterRenderer());
  }

  /** Text paragraphs re-wrapped to the width (see the class comment), as printed. */
  private String paragraphs(String[] lines) {
    StringBuilder sb = new StringBuilder();
    StringBuilder paragraph = new StringBuilder();
    for (String raw : lines) {
      for (String line : format(raw).split("\n", -1)) {
        if (line.isBlank() || line.startsWith(" ") || line.startsWith("- ")) {
          flush(paragraph, sb);
          if (line.startsWith("- ")) {
            appendWrapped(sb, line, "  ");
          } else {
            sb.append(line.isBlank() ? "" : line).append(System.lineSeparator());
          }
        } else {
          paragraph.append(paragraph.length() > 0 ? " " : "").append(line.strip());
        }
      }
    }
    flush(paragraph, sb);
    return sb.toString();
  }

  private void flush(StringBuilder paragraph, StringBuilder sb) {
    if (paragraph.length() > 0) {
      appendWrapped(sb, paragraph.toString(), "");
      paragraph.setLength(0);
    }
  }

  private void appendWrapped(StringBuilder sb, String text, String hangingIndent) {
    List<int[]> lines = breaks(text, width(), width() - hangingIndent.length());
    for (int i = 0; i < lines.size(); i++) {
      sb.append(i == 0 ? "" : hangingIndent).append(text, lines.get(i)[0], lines.get(i)[1]).append(System.lineSeparator());
    }
  }

  /** picocli's format escapes in help text: {@code %n} a line break, {@code %%} a percent sign. */
  private static String format(String line) {
    return line.replace("%n", "\n").replace("%%", "%");
  }

  private static void collect(String[] lines, List<String> paragraphs) {
    StringBuilder p = new StringBuilder();
    for (String raw : lines) {
      String line = format(raw);
      if (line.isBlank() || line.startsWith(" ") || line.startsWith("- ")) {
        if (p.length() > 0) {
          paragraphs.add(p.toString());
          p.setLength(0);
        }
      } else {
        p.append(p.length() > 0 ? " " : "").append(line.strip());
      }
    }
    if (p.length() > 0) {
      paragraphs.add(p.toString());
    }
  }

  /**
   * {@code text} broken into lines of at most {@code width} characters, at spaces only; a word
   * longer than the width gets a line of its own.
   */
  static List<String> wrap(String text, int width) {
    return breaks(text, width, width).stream().map(r -> text.substring(r[0], r[1])).toList();
  }

  /** The [start, end) of each line, the first at most {@code first} wide, the others {@code rest}. */
  static List<int[]> breaks(String text, int first, int rest) {
    List<int[]> lines = new ArrayList<>();
    int n = text.length();
    int i = 0;
    while (i < n && text.charAt(i) == ' ') {
      i++;
    }
    while (i < n) {
      int limit = lines.isEmpty() ? first : rest;
      int end = i;
      int lastFit = -1;
      while (end < n) {
        int wordEnd = text.indexOf(' ', end);
        wordEnd = wordEnd < 0 ? n : wordEnd;
        if (wordEnd - i > limit && lastFit >= 0) {
          break;
        }
        lastFit = wordEnd;
        end = wordEnd;
        if (wordEnd - i > limit) {
          break; // one word wider than the line: it stays whole
        }
        while (end < n && text.charAt(end) == ' ') {
          end++;
        }
      }
      lines.add(new int[] {i, lastFit});
      i = lastFit;
      while (i < n && text.charAt(i) == ' ') {
        i++;
      }
    }
    return lines;
  }

  /** picocli's table, except that the description column breaks at spaces only. */
  private static final class SpaceWrappedTable extends TextTable {
    SpaceWrappedTable(ColorScheme scheme, Column[] columns) {
      super(scheme, columns);
    }

    @Override
    public Cell putValue(int row, int col, Text value) {
      Column column = columns()[col];
      if (column.overflow != Column.Overflow.WRAP || value == null) {
        return super.putValue(row, col, value);
      }
      int first = column.width - column.indent;
      List<int[]> lines = breaks(value.plainString(), first, first - indentWrappedLines);
      Cell cell = super.putValue(row, col, lines.isEmpty() ? value : value.substring(lines.get(0)[0], lines.get(0)[1]));
      for (int k = 1; k < lines.size(); k++) {
        row++;
        if (row >= rowCount()) {
          addEmptyRow();
        }
        Text piece = value.substring(lines.get(k)[0], lines.get(k)[1]);
        cell = super.putValue(row, col, value.substring(0, 0).concat(" ".repeat(indentWrappedLines)).concat(piece));
      }
      return cell;
    }
  }
}
