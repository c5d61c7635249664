package dev.plumb.labeler.policy;

import dev.plumb.labeler.unit.Component;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A semantic diff between two policy versions, for the person reviewing a policy change: what
 * changed in the metadata, decisions, categories, rules, allowed contexts and examples, matched by
 * id (so a reworded rule shows as changed, a moved rule as reordered), rather than a line diff.
 *
 * <p>Lines use {@code +} for added, {@code -} for removed and {@code ~} for changed; a changed
 * text is shown as a word diff ({@code [-removed-]{+added+}}), or whole as a {@code -}/{@code +}
 * pair when most of it was rewritten; everything is wrapped at 100 columns. A change to a decision's {@code positive} flag
 * is called out, since it changes what counts toward prevalence. Immutable.
 */
public final class PolicyDiff {
  private static final int WIDTH = 100;

  private final Policy from;
  private final Policy to;
  private final List<String> lines = new ArrayList<>();
  private final List<String> definitionChanges = new ArrayList<>();
  private int changes;

  private PolicyDiff(Policy from, Policy to) {
    this.from = from;
    this.to = to;
    build();
  }

  /** The changes that turn {@code from} into {@code to} (usually two versions of one policy). */
  public static PolicyDiff between(Policy from, Policy to) {
    return new PolicyDiff(Objects.requireNonNull(from, "from"), Objects.requireNonNull(to, "to"));
  }

  /** Whether the two versions say the same thing (ignoring id, version and fingerprint). */
  public boolean isEmpty() {
    return changes == 0;
  }

  /** The number of individual changes listed. */
  public int size() {
    return changes;
  }

  /**
   * The changes that can change what a reviewer answers on a unit, one short entry each ({@code "+
   * category disordered_eating"}, {@code "~ rule R3"}, {@code "~ violating.positive"}); empty when a
   * gold decision made under one version means the same under the other (docs/history.md, "Reusing
   * gold across versions").
   *
   * <p>Counted: a decision added or removed, or its {@code positive} flag or definition changed; a
   * category added or removed, or its definition, includes or excludes changed (the categories say
   * what the positive decision covers); a rule added, removed or reworded, and a new order of the
   * rules (earlier rules win); an allowed context added, removed or reworded, or its context
   * changed. Not counted: metadata (title, status, dates, owner, summary), a category's title, the
   * order of decisions, categories and allowed contexts, examples and the {@code changes} notes —
   * they explain the policy or steer the model, and reviewers decide by the definitions and rules.
   * A text counts as changed when its words differ; line breaks and spacing alone do not. plumb
   * cannot tell a rewording from a change of meaning, so any changed word in these texts counts.
   */
  public List<String> definitionChanges() {
    return List.copyOf(definitionChanges);
  }

  /** The diff as printed, one entry per line, without trailing newlines. */
  public List<String> lines() {
    return List.copyOf(lines);
  }

  private void build() {
    lines.add(from.key() + " -> " + to.key());
    lines.add("  " + PolicyLock.shortHash(from.sha256()) + " -> " + PolicyLock.shortHash(to.sha256()));
    section("Metadata", this::metadata);
    section("Decisions", this::decisions);
    section("Categories", this::categories);
    section("Rules", () -> rules(from.rules(), to.rules(), false));
    section("Allowed", () -> rules(from.allowed(), to.allowed(), true));
    section("Examples", this::examples);
    if (!to.changes().isEmpty() && !to.changes().equals(from.changes())) {
      lines.add("");
      lines.add("Changes noted in " + to.key());
      to.changes().forEach(c -> wrap("  * ", "    ", c));
    }
    if (changes == 0) {
      lines.add("");
      lines.add("No changes.");
    }
  }

  private void section(String title, Runnable body) {
    int before = lines.size();
    int countBefore = changes;
    lines.add("");
    lines.add(title);
    body.run();
    if (changes == countBefore) {
      lines.subList(before, lines.size()).clear();
      lines.add("");
      lines.add(title + ": no changes");
    }
  }

  private void metadata() {
    scalar("title", from.title(), to.title());
    scalar("status", from.status().yamlName(), to.status().yamlName());
    scalar("effective", String.valueOf(from.effective()), String.valueOf(to.effective()));
    scalar("owner", from.owner(), to.owner());
    text("  ~ summary", from.summary(), to.summary());
  }

  private void decisions() {
    matched(from.decisions(), to.decisions(), Decision::id,
        d -> {
          definitionChanges.add("+ decision " + d.id());
          wrap("  + " + d.id() + (d.positive() ? " (positive)" : "") + ": ", "      ", d.definition());
        },
        d -> {
          definitionChanges.add("- decision " + d.id());
          lines.add("  - " + d.id() + (d.positive() ? " (positive)" : ""));
        },
        (d, n) -> {
          if (d.positive() != n.positive()) {
            count();
            definitionChanges.add("~ " + d.id() + ".positive");
            lines.add("  ~ " + d.id() + ".positive: " + d.positive() + " -> " + n.positive()
                + "  (changes what counts toward prevalence)");
          }
          if (text("  ~ " + d.id() + ".definition", d.definition(), n.definition())) {
            definitionChanges.add("~ " + d.id() + ".definition");
          }
        });
    order(ids(from.decisions(), Decision::id), ids(to.decisions(), Decision::id));
  }

  private void categories() {
    matched(from.categories(), to.categories(), Category::id,
        c -> {
          definitionChanges.add("+ category " + c.id());
          lines.add("  + " + c.id() + " \"" + c.title() + "\"");
          wrap("      definition: ", "        ", c.definition());
          c.includes().forEach(i -> wrap("      includes: ", "        ", i));
          c.excludes().forEach(e -> wrap("      excludes: ", "        ", e));
        },
        c -> {
          definitionChanges.add("- category " + c.id());
          lines.add("  - " + c.id() + " \"" + c.title() + "\"");
        },
        (c, n) -> {
          scalar(c.id() + ".title", c.title(), n.title());
          if (text("  ~ " + c.id() + ".definition", c.definition(), n.definition())) {
            definitionChanges.add("~ " + c.id() + ".definition");
          }
          if (items(c.id() + ".includes", c.includes(), n.includes())) {
            definitionChanges.add("~ " + c.id() + ".includes");
          }
          if (items(c.id() + ".excludes", c.excludes(), n.excludes())) {
            definitionChanges.add("~ " + c.id() + ".excludes");
          }
        });
    order(ids(from.categories(), Category::id), ids(to.categories(), Category::id));
  }

  private void rules(List<Rule> before, List<Rule> after, boolean withContext) {
    String kind = withContext ? "allowed " : "rule ";
    Function<Rule, String> head = r -> r.id() + (withContext ? " (" + r.context() + ")" : "") + ": ";
    matched(before, after, Rule::id,
        r -> {
          definitionChanges.add("+ " + kind + r.id());
          wrap("  + " + head.apply(r), "      ", r.text());
        },
        r -> {
          definitionChanges.add("- " + kind + r.id());
          wrap("  - " + head.apply(r), "      ", r.text());
        },
        (r, n) -> {
          if (withContext && scalar(r.id() + ".context", r.context(), n.context())) {
            definitionChanges.add("~ " + kind + r.id() + ".context");
          }
          if (text("  ~ " + r.id(), r.text(), n.text())) {
            definitionChanges.add("~ " + kind + r.id());
          }
        });
    // earlier rules win, so their order is part of what they say; allowed contexts have no order
    if (order(ids(before, Rule::id), ids(after, Rule::id)) && !withContext) {
      definitionChanges.add("~ rules order");
    }
  }

  private void examples() {
    matched(from.examples(), to.examples(), Example::id,
        e -> lines.add("  + " + e.id() + ": " + expected(e) + describeUnit(e)),
        e -> lines.add("  - " + e.id() + ": " + expected(e)),
        (e, n) -> {
          if (!expected(e).equals(expected(n))) {
            count();
            lines.add("  ~ " + e.id() + ": expected " + expected(e) + " -> " + expected(n));
          }
          if (!e.evidence().equals(n.evidence())) {
            count();
            lines.add("  ~ " + e.id() + ".evidence: " + e.evidence() + " -> " + n.evidence());
          }
          if (e.inPrompt() != n.inPrompt()) {
            count();
            lines.add("  ~ " + e.id() + ".in_prompt: " + e.inPrompt() + " -> " + n.inPrompt());
          }
          if (!e.unit().equals(n.unit())) {
            count();
            lines.add("  ~ " + e.id() + ".unit: content changed" + unitChange(e, n));
          }
          text("  ~ " + e.id() + ".reason", e.reason(), n.reason());
        });
  }

  /**
   * Items matched by id: each added one (in the new order), then each removed one (counted) or
   * kept one (which {@code kept} compares and counts), in the old order.
   */
  private <T> void matched(List<T> before, List<T> after, Function<T, String> id, Consumer<T> added,
      Consumer<T> removed, BiConsumer<T, T> kept) {
    Map<String, T> a = byId(before, id);
    Map<String, T> b = byId(after, id);
    for (T x : after) {
      if (!a.containsKey(id.apply(x))) {
        count();
        added.accept(x);
      }
    }
    for (T x : before) {
      T n = b.get(id.apply(x));
      if (n == null) {
        count();
        removed.accept(x);
      } else {
        kept.accept(x, n);
      }
    }
  }

  private static String expected(Example e) {
    return e.category() == null ? e.decision() : e.decision() + "/" + e.category();
  }

  private static String describeUnit(Example e) {
    int n = e.unit().components().size();
    return n == 1 ? "" : " (" + n + " components" + (e.evidence().isEmpty() ? "" : ", evidence " + String.join(", ", e.evidence())) + ")";
  }

  private static String unitChange(Example a, Example b) {
    List<String> ids = a.unit().components().stream().map(Component::id).toList();
    List<String> nids = b.unit().components().stream().map(Component::id).toList();
    if (!ids.equals(nids)) {
      return " (components " + String.join(", ", ids) + " -> " + String.join(", ", nids) + ")";
    }
    List<String> changed = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      if (!a.unit().components().get(i).equals(b.unit().components().get(i))) {
        changed.add(ids.get(i));
      }
    }
    return changed.isEmpty() ? " (attributes)" : " (" + String.join(", ", changed) + ")";
  }

  /** Lists a changed value; true when it changed. */
  private boolean scalar(String field, String a, String b) {
    if (!Objects.equals(a, b)) {
      count();
      lines.add("  ~ " + field + ": " + a + " -> " + b);
      return true;
    }
    return false;
  }

  /**
   * A changed text as a word diff in the style of {@code git diff --word-diff=plain}: removed words
   * in {@code [-...-]}, added words in {@code {+...+}}. When less than half of the words survive,
   * the old and new texts are shown whole instead, which reads better for a rewrite.
   *
   * @return true when the words differ (a change of spacing or line breaks alone is listed but returns false)
   */
  private boolean text(String label, String a, String b) {
    if (Objects.equals(a, b)) {
      return false;
    }
    count();
    lines.add(label + ":");
    String[] x = a.strip().split("\\s+");
    String[] y = b.strip().split("\\s+");
    int[][] lcs = new int[x.length + 1][y.length + 1];
    for (int i = x.length - 1; i >= 0; i--) {
      for (int j = y.length - 1; j >= 0; j--) {
        lcs[i][j] = x[i].equals(y[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    boolean words = !java.util.Arrays.equals(x, y);
    if (lcs[0][0] * 2 < Math.max(x.length, y.length)) {
      wrap("      - ", "        ", a);
      wrap("      + ", "        ", b);
      return words;
    }
    List<String> shown = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<String> added = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < x.length || j < y.length) {
      if (i < x.length && j < y.length && x[i].equals(y[j])) {
        flush(shown, removed, added);
        shown.add(x[i]);
        i++;
        j++;
      } else if (j < y.length && (i == x.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
        added.add(y[j++]);
      } else {
        removed.add(x[i++]);
      }
    }
    flush(shown, removed, added);
    wrap("      ", "      ", String.join(" ", shown));
    return words;
  }

  private static void flush(List<String> words, List<String> removed, List<String> added) {
    if (!removed.isEmpty()) {
      words.add("[-" + String.join(" ", removed) + "-]");
      removed.clear();
    }
    if (!added.isEmpty()) {
      words.add("{+" + String.join(" ", added) + "+}");
      added.clear();
    }
  }

  /** Lists a changed list of items; true when an item was added or removed (not for a new order alone). */
  private boolean items(String field, List<String> a, List<String> b) {
    if (a.equals(b)) {
      return false;
    }
    List<String> removed = a.stream().filter(x -> !b.contains(x)).toList();
    List<String> added = b.stream().filter(x -> !a.contains(x)).toList();
    count();
    lines.add("  ~ " + field + ":");
    removed.forEach(x -> wrap("      - ", "        ", x));
    added.forEach(x -> wrap("      + ", "        ", x));
    if (removed.isEmpty() && added.isEmpty()) {
      lines.add("      (same items, new order)");
    }
    return !removed.isEmpty() || !added.isEmpty();
  }

  /** Reports a change in the relative order of the ids both versions share; true when there is one. */
  private boolean order(List<String> before, List<String> after) {
    List<String> a = before.stream().filter(after::contains).toList();
    List<String> b = after.stream().filter(before::contains).toList();
    if (!a.equals(b)) {
      count();
      lines.add("  ~ order: " + String.join(" ", before) + " -> " + String.join(" ", after));
      return true;
    }
    return false;
  }

  /** Word-wraps {@code text} to {@link #WIDTH}, the first line after {@code first}. */
  private void wrap(String first, String rest, String text) {
    StringBuilder line = new StringBuilder(first);
    int start = line.length();
    for (String word : text.strip().split("\\s+")) {
      if (line.length() > start && line.length() + 1 + word.length() > WIDTH) {
        lines.add(line.toString());
        line = new StringBuilder(rest);
        start = line.length();
      }
      if (line.length() > start) {
        line.append(' ');
      }
      line.append(word);
    }
    lines.add(line.toString());
  }

  private void count() {
    changes++;
  }

  private static <T> Map<String, T> byId(List<T> items, Function<T, String> id) {
    Map<String, T> m = new LinkedHashMap<>();
    items.forEach(i -> m.putIfAbsent(id.apply(i), i));
    return m;
  }

  private static <T> List<String> ids(List<T> items, Function<T, String> id) {
    return items.stream().map(id).collect(Collectors.toList());
  }
}
