package dev.plumb.pipeline;

import dev.plumb.core.AtomicOutput;
import dev.plumb.core.InputException;
import dev.plumb.core.Json;
import dev.plumb.core.LocatedYaml.MapNode;
import dev.plumb.core.LocatedYaml.Node;
import dev.plumb.core.LocatedYaml.Scalar;
import dev.plumb.core.Problem;
import dev.plumb.core.YamlFields;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A configuration the run file hands to another stage in that stage's own format (a sampling
 * design, a review design, a rater panel, sign-off thresholds): either a path to such a file, or
 * the same YAML written inline under the field.
 *
 * <p>An inline block is written to a file of its own whose line numbers match the run file's (the
 * lines before the block are comments), so a problem the stage finds in it can be reported at its
 * place in the run file: {@link #relocate} turns {@code out/config/design.yaml:41:3: n: ...} into
 * {@code run.yaml:41:7: sampling.design.n: ...}.
 *
 * @param field the run-file field, e.g. {@code sampling.design}
 * @param file the file named by the run file (resolved), or {@code null} when inline
 * @param inline the inline block's text, dedented, with comment lines in front, or {@code null}
 * @param indent how many columns the block was indented in the run file
 * @param runSource the run file as the user named it
 */
record SubConfig(String field, Path file, String inline, int indent, String runSource) {

  /** Builds one from the node under {@code field}: a string is a path, a mapping is inline YAML. */
  static SubConfig of(Node node, String field, Path base, List<String> lines, String runSource,
      List<Problem> problems) {
    if (node instanceof Scalar s && s.token() == com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
      return new SubConfig(field, base.resolve(s.text()).normalize(), null, 0, runSource);
    }
    if (!(node instanceof MapNode map)) {
      problems.add(YamlFields.at(runSource, node, "expected a file name or a mapping, got " + node.describe()));
      return null;
    }
    int first = map.line();
    String firstLine = first >= 1 && first <= lines.size() ? lines.get(first - 1) : "";
    int col = map.column();
    if (map.entries().isEmpty() || col < 1 || col > firstLine.length() || firstLine.charAt(col - 1) == '{'
        || firstLine.substring(0, col - 1).trim().length() > 0) {
      // a flow mapping, or a block that does not start its own line: hand it over as JSON (also YAML)
      return new SubConfig(field, null, Json.pretty(map.json()), 0, runSource);
    }
    int indent = col - 1;
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i < first; i++) {
      sb.append(i == 1 ? "# written by plumb run from " + runSource + " (" + field + "); line numbers match it" : "#")
          .append('\n');
    }
    for (int i = first; i <= lines.size(); i++) {
      String l = lines.get(i - 1);
      String t = l.strip();
      int lead = l.length() - l.stripLeading().length();
      if (!t.isEmpty() && !t.startsWith("#") && lead < indent) {
        break;
      }
      sb.append(lead >= indent ? l.substring(indent) : t).append('\n');
    }
    return new SubConfig(field, null, sb.toString(), indent, runSource);
  }

  boolean isInline() {
    return inline != null;
  }

  /**
   * What the content is, for fingerprints: the inline block (without the comment lines in front,
   * so that moving it in the run file changes nothing), or the file's bytes' digest.
   */
  String fingerprint() {
    if (!isInline()) {
      return "file " + file + " " + Inputs.hash(file);
    }
    String body = inline;
    while (body.startsWith("#")) {
      int nl = body.indexOf('\n');
      body = nl < 0 ? "" : body.substring(nl + 1);
    }
    return dev.plumb.core.Hashing.sha256(body);
  }

  /** The file the stage reads: the named file, or the inline block written to {@code dir/<name>.yaml}. */
  Path materialize(Path dir, String name) {
    if (!isInline()) {
      if (!java.nio.file.Files.isRegularFile(file)) {
        throw new InputException(Problem.of(runSource + ": " + field + ": file not found: " + file));
      }
      return file;
    }
    Path p = dir.resolve(name + ".yaml");
    AtomicOutput.write(p, inline);
    return p;
  }

  /** Problems a stage found in the materialized file, moved to their place in the run file. */
  InputException relocate(InputException e, Path materialized) {
    if (!isInline()) {
      return e;
    }
    String src = materialized.toString();
    List<Problem> moved = e.problems().stream().map(p -> {
      if (!p.source().equals(src)) {
        return p;
      }
      String f = p.field().isEmpty() ? field : field + "." + p.field();
      return new Problem(runSource, p.line(), p.column() == 0 ? 0 : p.column() + indent, f, p.message());
    }).toList();
    return new InputException(moved);
  }

  /** The same for a stage's error text: {@code FILE:L:C: FIELD: message} lines naming the file. */
  String relocate(String text, Path materialized) {
    if (!isInline()) {
      return text;
    }
    Pattern p = Pattern.compile(Pattern.quote(materialized.toString()) + ":(\\d+)(?::(\\d+))?: (?:([A-Za-z_][\\w.\\[\\]]*): )?");
    Matcher m = p.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String col = m.group(2) == null ? "" : ":" + (Integer.parseInt(m.group(2)) + indent);
      String f = m.group(3) == null ? field : field + "." + m.group(3);
      m.appendReplacement(sb, Matcher.quoteReplacement(runSource + ":" + m.group(1) + col + ": " + f + ": "));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
