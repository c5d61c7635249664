package dev.plumb.labeler.policy;

import dev.plumb.core.AtomicOutput;
import dev.plumb.core.InputException;
import dev.plumb.core.PolicyKey;
import dev.plumb.core.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code policies.lock}: the sha256 of every locked policy version's canonical content
 * ({@link Policy#sha256()}), one {@code id@version sha256:<hex>} line per version, sorted by id
 * then version so that adding a version is a one-line diff.
 *
 * <p>The rules (docs/policies.md): a locked version never changes; {@link #check} reports a
 * locked version whose content changed or whose file is missing, and an active or retired version
 * that is not locked. Drafts need not be locked: they are where a policy change is worked out.
 * {@link #update} locks every new non-draft version and refuses to change a locked hash unless the
 * version is named for relocking. Immutable.
 *
 * @param file where the lock is read from and written to
 * @param exists whether the file existed when it was read
 * @param entries locked versions by {@code id@version}, kept in id then version order
 */
public record PolicyLock(Path file, boolean exists, Map<String, Entry> entries) {
  public static final String FILE_NAME = "policies.lock";

  private static final Pattern LINE = Pattern.compile("([a-z][a-z0-9_]*)@([1-9][0-9]{0,5})\\s+(sha256:[0-9a-f]{64})");
  private static final Comparator<String> KEY_ORDER = Comparator.comparing(PolicyKey::parse);
  private static final String HEADER =
      "# policies.lock: written by `plumb policy lock`, checked by `plumb policy check`.\n"
          + "# The sha256 of each policy version's canonical content (docs/policies.md). A locked\n"
          + "# version never changes: to change a policy, add a version and run `plumb policy lock`.\n";

  /** A locked version: {@code key} is {@code id@version}; {@code line} is where it is (0 if new). */
  public record Entry(String key, String sha256, int line) {}

  /**
   * The result of {@link #update}: the new lock and what changed. When {@code refused} is not empty
   * nothing should be written.
   */
  public record Update(PolicyLock lock, List<String> added, List<String> relocked, List<String> dropped, List<Problem> refused) {
    public Update {
      added = List.copyOf(added);
      relocked = List.copyOf(relocked);
      dropped = List.copyOf(dropped);
      refused = List.copyOf(refused);
    }

    public boolean changed() {
      return !added.isEmpty() || !relocked.isEmpty() || !dropped.isEmpty();
    }
  }

  public PolicyLock {
    TreeMap<String, Entry> sorted = new TreeMap<>(KEY_ORDER);
    sorted.putAll(entries);
    entries = Collections.unmodifiableMap(sorted);
  }

  /** The lock file of a library: {@code <root>/policies.lock}. */
  public static Path fileOf(PolicyLibrary library) {
    return library.root().resolve(FILE_NAME);
  }

  /**
   * Reads a lock file. A missing file is an empty lock ({@link #exists()} false). Blank lines and
   * {@code #} comments are ignored.
   *
   * @throws InputException naming the line of every malformed or repeated entry
   */
  public static PolicyLock read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return new PolicyLock(file, false, Map.of());
    } catch (IOException e) {
      throw new InputException(Problem.at(file.toString(), 0, "", "cannot read: " + e.getMessage()), e);
    }
    Map<String, Entry> entries = new TreeMap<>(KEY_ORDER);
    List<Problem> problems = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        problems.add(Problem.at(file.toString(), i + 1, "",
            "expected \"ID@VERSION sha256:HEX\", got \"" + line + "\""));
        continue;
      }
      String key = m.group(1) + "@" + m.group(2);
      Entry first = entries.putIfAbsent(key, new Entry(key, m.group(3), i + 1));
      if (first != null) {
        problems.add(Problem.at(file.toString(), i + 1, "", key + " is locked twice (first at line " + first.line() + ")"));
      }
    }
    if (!problems.isEmpty()) {
      throw new InputException(problems);
    }
    return new PolicyLock(file, true, entries);
  }

  /** The locked hash of a version, or null when it is not locked. */
  public String sha256(Policy policy) {
    Entry e = entries.get(policy.key());
    return e == null ? null : e.sha256();
  }

  /**
   * Compares the lock with the library. Problems, each naming the file to look at: a locked
   * version whose content changed, a locked version whose file is missing, an active or retired
   * version that is not locked (or a missing lock file when there is any). Empty when all is well.
   */
  public List<Problem> check(PolicyLibrary library) {
    List<Problem> problems = new ArrayList<>();
    if (!exists) {
      List<String> needed = library.all().stream().filter(p -> p.status() != PolicyStatus.DRAFT).map(Policy::key).toList();
      if (!needed.isEmpty()) {
        problems.add(Problem.at(file.toString(), 0, "",
            "missing; " + needed.size() + " active or retired version" + (needed.size() == 1 ? " needs" : "s need")
                + " locking: run plumb policy lock"));
      }
      return problems;
    }
    Map<String, Policy> byKey = new TreeMap<>();
    library.all().forEach(p -> byKey.put(p.key(), p));
    for (Entry e : entries.values()) {
      Policy p = byKey.get(e.key());
      if (p == null) {
        problems.add(missing(library, e, ""));
      } else if (!p.sha256().equals(e.sha256())) {
        problems.add(changed(library, p, e, ""));
      }
    }
    for (Policy p : library.all()) {
      if (p.status() != PolicyStatus.DRAFT && !entries.containsKey(p.key())) {
        problems.add(Problem.at(library.file(p).toString(), 0, "",
            p.key() + " is " + p.status().yamlName() + " but not locked; run plumb policy lock"));
      }
    }
    return PolicyLibrary.sorted(problems);
  }

  /**
   * The lock after adding every non-draft version of {@code library} that is not locked yet.
   * A locked version whose content changed, or whose file is gone, is refused unless it is named in
   * {@code relock}: then its hash is replaced (or, for a missing file, its entry dropped). Drafts
   * already in the lock are kept and checked like any other version.
   *
   * @param relock versions whose locked hash may be replaced; each must name a version
   */
  public Update update(PolicyLibrary library, Collection<PolicyRef> relock) {
    Set<String> relockKeys = new HashSet<>();
    for (PolicyRef r : relock) {
      if (r.version().isEmpty()) {
        throw new InputException("--relock " + r + ": name the version to relock, e.g. " + r + "@1");
      }
      relockKeys.add(r.toString());
    }
    Map<String, Entry> next = new TreeMap<>(KEY_ORDER);
    next.putAll(entries);
    List<String> added = new ArrayList<>();
    List<String> relocked = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    List<Problem> refused = new ArrayList<>();
    Map<String, Policy> byKey = new TreeMap<>();
    library.all().forEach(p -> byKey.put(p.key(), p));
    for (Entry e : entries.values()) {
      Policy p = byKey.get(e.key());
      if (p == null) {
        if (relockKeys.contains(e.key())) {
          next.remove(e.key());
          dropped.add(e.key());
        } else {
          refused.add(missing(library, e, "; if no label ever cited it, plumb policy lock --relock " + e.key() + " drops it"));
        }
      } else if (!p.sha256().equals(e.sha256())) {
        if (relockKeys.contains(e.key())) {
          next.put(e.key(), new Entry(e.key(), p.sha256(), 0));
          relocked.add(e.key());
        } else {
          refused.add(changed(library, p, e, "; if no label was ever made with it, plumb policy lock --relock " + e.key() + " accepts the edit"));
        }
      }
    }
    for (Policy p : library.all()) {
      if (p.status() != PolicyStatus.DRAFT && !entries.containsKey(p.key())) {
        next.put(p.key(), new Entry(p.key(), p.sha256(), 0));
        added.add(p.key());
      }
    }
    return new Update(new PolicyLock(file, true, next), added, relocked, dropped, PolicyLibrary.sorted(refused));
  }

  /** The file content: a comment header, then one line per locked version. */
  public String render() {
    StringBuilder sb = new StringBuilder(HEADER);
    entries.values().forEach(e -> sb.append(e.key()).append(' ').append(e.sha256()).append('\n'));
    return sb.toString();
  }

  /** Writes {@link #render()} to {@link #file()} atomically. */
  public void write() {
    AtomicOutput.write(file, render());
  }

  private Problem missing(PolicyLibrary library, Entry e, String hint) {
    PolicyKey key = PolicyKey.parse(e.key());
    Path path = library.root().resolve(key.id()).resolve("v" + key.version() + ".yaml");
    return Problem.at(path.toString(), 0, "",
        "missing, but " + file.getFileName() + ":" + e.line() + " locks " + e.key()
            + "; restore the file (labels may cite this version)" + hint);
  }

  private Problem changed(PolicyLibrary library, Policy p, Entry e, String hint) {
    int next = library.versions(p.id()).get(library.versions(p.id()).size() - 1).version() + 1;
    return Problem.at(library.file(p).toString(), 0, "",
        "changed since it was locked (" + file.getFileName() + ":" + e.line() + " has " + PolicyLock.shortHash(e.sha256())
            + ", the file now hashes to " + shortHash(p.sha256()) + "); a locked version is immutable: undo the edit"
            + " and make the change in a new version (v" + next + ".yaml)" + hint);
  }

  /** {@code sha256:} and the first 12 hex digits: enough to tell versions apart when reading. */
  public static String shortHash(String sha256) {
    return sha256.substring(0, Math.min(sha256.length(), "sha256:".length() + 12));
  }
}
