package dev.plumb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Every command's help at 80 and 120 columns (issue 18, "Help and messages"). */
class HelpTest {

  @ParameterizedTest
  @ValueSource(ints = {80, 120})
  void should_render_every_command_without_warnings_broken_words_or_cut_sentences(int width) {
    PrintStream stderr = System.err;
    ByteArrayOutputStream picocliWarnings = new ByteArrayOutputStream();
    Map<String, String> helps = new LinkedHashMap<>();
    try {
      System.setErr(new PrintStream(picocliWarnings, true, StandardCharsets.UTF_8));
      CommandLine root = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
      root.setUsageHelpAutoWidth(false);
      root.setUsageHelpWidth(width);
      render(root, helps);
    } finally {
      System.setErr(stderr);
    }
    assertThat(picocliWarnings.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(helps).hasSizeGreaterThan(30);

    for (Map.Entry<String, String> e : helps.entrySet()) {
      CommandSpec spec = spec(e.getKey());
      String help = e.getValue();
      List<String> written = writtenLines(spec);
      for (String line : help.split("\n")) {
        // only a line printed exactly as written (an example command) may be wider
        if (line.length() > width) {
          assertThat(written).as("%s at %d: line wider than the screen", e.getKey(), width).contains(line);
        }
      }
      // every word of the text is printed whole: no "report.\nhtml", "http:\n//localhost"
      List<String> words = Arrays.asList(help.split("\\s+"));
      for (String word : sourceWords(spec)) {
        assertThat(words).as("%s at %d: word split across lines", e.getKey(), width).contains(word);
      }
      for (CommandLine sub : new CommandLine(spec).getSubcommands().values()) {
        String summary = HelpLayout.summary(sub.getCommandSpec());
        assertThat(summary).as("%s: command list entry of %s", e.getKey(), sub.getCommandName()).matches("(?s).*[.)]$");
        assertThat(help.replaceAll("\\s+", " ")).contains(summary);
      }
    }
  }

  @Test
  void should_print_the_same_root_help_with_the_commands_only_outlined() {
    StringWriter full = new StringWriter();
    CommandLine root = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    root.setUsageHelpAutoWidth(false);
    root.setUsageHelpWidth(80);
    root.usage(new PrintWriter(full), CommandLine.Help.Ansi.OFF);
    assertThat(Cli.run("--help").out()).isEqualTo(full.toString());
  }

  @Test
  void should_wrap_at_spaces_only_and_keep_a_long_word_whole() {
    assertThat(HelpLayout.wrap("writes report.html and http://localhost:8080 now", 12))
        .containsExactly("writes", "report.html", "and", "http://localhost:8080", "now");
    assertThat(HelpLayout.wrap("a b c d", 3)).containsExactly("a b", "c d");
  }

  @Test
  void should_list_a_command_by_its_whole_first_sentence_or_a_long_one_by_its_opening_clause() {
    Cli r = Cli.run("--help");
    String flat = r.out().replaceAll("\\s+", " ");
    assertThat(flat).contains(" sample Draw a probability sample of units from a frame, in one streaming pass."
        + " estimate ");
    assertThat(flat).contains(" plan Plan a sample. label Label sampled units with an LLM against the selected"
        + " policies. units ");
  }

  private static final Map<String, CommandSpec> SPECS = new LinkedHashMap<>();

  private static CommandSpec spec(String name) {
    return SPECS.get(name);
  }

  private static void render(CommandLine cli, Map<String, String> helps) {
    StringWriter sw = new StringWriter();
    cli.usage(new PrintWriter(sw), CommandLine.Help.Ansi.OFF);
    String name = cli.getCommandSpec().qualifiedName();
    helps.put(name, sw.toString().replace("\r", ""));
    SPECS.put(name, cli.getCommandSpec());
    for (CommandLine sub : cli.getSubcommands().values()) {
      render(sub, helps);
    }
  }

  private static List<String> writtenLines(CommandSpec spec) {
    List<String> lines = new ArrayList<>();
    lines.addAll(Arrays.asList(spec.usageMessage().description()));
    lines.addAll(Arrays.asList(spec.usageMessage().footer()));
    return lines;
  }

  /** The words of a command's description, footer and options' descriptions. */
  private static List<String> sourceWords(CommandSpec spec) {
    StringBuilder text = new StringBuilder();
    for (String s : writtenLines(spec)) {
      text.append(' ').append(s);
    }
    for (OptionSpec o : spec.options()) {
      for (String s : o.description()) {
        if (!s.contains("${")) {
          text.append(' ').append(s);
        }
      }
    }
    List<String> words = new ArrayList<>();
    for (String w : text.toString().replace("%n", " ").replace("%%", "%").split("\\s+")) {
      if (!w.isEmpty()) {
        words.add(w);
      }
    }
    return words;
  }
}
