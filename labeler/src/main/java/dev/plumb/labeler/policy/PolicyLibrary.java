package dev.plumb.labeler.policy;

import dev.plumb.core.InputException;
import dev.plumb.core.PlumbException;
import dev.plumb.core.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The policy library: a directory with one folder per policy and one immutable file per version,
 * {@code <dir>/<id>/v<N>.yaml} (docs/policies.md), plus {@code policies.lock}.
 *
 * <p>{@link #load} reads and checks every version file and reports every problem it finds, in file
 * and position order, as one {@link InputException}; a library that loads is valid. Immutable and
 * thread-safe once loaded.
 */
public final class PolicyLibrary {
  private static final Pattern VERSION_FILE = Pattern.compile("v([1-9][0-9]{0,5})\\.yaml");
  private static final String SCHEMA_RESOURCE = "/dev/plumb/labeler/policy/policy.schema.json";

  private final Path root;
  /** id → versions in ascending order. */
  private final Map<String, List<Policy>> byId;
  private final Map<String, Path> files;

  private PolicyLibrary(Path root, Map<String, List<Policy>> byId, Map<String, Path> files) {
    this.root = root;
    this.byId = byId;
    this.files = files;
  }

  /**
   * Loads every policy version under {@code dir}.
   *
   * <p>Layout rules: each sub-folder is a policy whose name is its id; inside it, {@code v<N>.yaml}
   * files are versions. Hidden files and folders, files other than {@code .yaml}/{@code .yml}
   * (READMEs, notes) and {@code policies.lock} are ignored. A YAML file at the top level, a YAML file
   * not named {@code v<N>.yaml}, a folder whose name is not an id, a folder with no versions, and a
   * directory with no policies at all are problems.
   *
   * @throws InputException with every problem, one per line, when anything is wrong
   */
  public static PolicyLibrary load(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new InputException(Problem.at(dir.toString(), 0, "", "no such directory (expected the policy library, " + dir + "/<id>/v<N>.yaml)"));
    }
    List<Problem> problems = new ArrayList<>();
    Map<String, List<Policy>> byId = new TreeMap<>();
    Map<String, Path> files = new LinkedHashMap<>();
    for (Path entry : list(dir)) {
      String name = entry.getFileName().toString();
      if (name.startsWith(".")) {
        continue;
      }
      if (!Files.isDirectory(entry)) {
        if (isYaml(name)) {
          problems.add(Problem.at(entry.toString(), 0, "", "policy files go in a folder per policy: " + dir + "/<id>/v<N>.yaml"));
        }
        continue;
      }
      if (!PolicyRef.ID.matcher(name).matches()) {
        problems.add(Problem.at(entry.toString(), 0, "", "folder name is not a policy id (lowercase letters, digits and _, starting with a letter)"));
        continue;
      }
      List<Policy> versions = new ArrayList<>();
      boolean any = false;
      for (Path file : list(entry)) {
        String fileName = file.getFileName().toString();
        if (fileName.startsWith(".") || Files.isDirectory(file) || !isYaml(fileName)) {
          continue;
        }
        Matcher m = VERSION_FILE.matcher(fileName);
        if (!m.matches()) {
          problems.add(Problem.at(file.toString(), 0, "", "a policy version file is named v<N>.yaml (v1.yaml, v2.yaml, ...)"));
          any = true;
          continue;
        }
        any = true;
        int version = Integer.parseInt(m.group(1));
        Policy p = PolicyReader.read(bytes(file), file.toString(), name, version, problems);
        if (p != null) {
          versions.add(p);
          files.put(p.key(), file);
        }
      }
      if (!any) {
        problems.add(Problem.at(entry.toString(), 0, "", "no version files (expected " + entry + "/v1.yaml)"));
      }
      versions.sort(Comparator.comparingInt(Policy::version));
      if (!versions.isEmpty()) {
        byId.put(name, List.copyOf(versions));
      }
    }
    if (problems.isEmpty() && byId.isEmpty()) {
      problems.add(Problem.at(dir.toString(), 0, "", "no policies (expected " + dir + "/<id>/v<N>.yaml)"));
    }
    if (!problems.isEmpty()) {
      throw new InputException(sorted(problems));
    }
    return new PolicyLibrary(dir, byId, files);
  }

  /** The directory the library was loaded from, as given. */
  public Path root() {
    return root;
  }

  /** Every version of every policy, by id then version. */
  public List<Policy> all() {
    return byId.values().stream().flatMap(List::stream).toList();
  }

  /** The policy ids, sorted. */
  public List<String> ids() {
    return List.copyOf(byId.keySet());
  }

  /** The versions of {@code id} in ascending order; empty when there is no such policy. */
  public List<Policy> versions(String id) {
    return byId.getOrDefault(id, List.of());
  }

  /** The highest active version of {@code id}, if it has one. */
  public Optional<Policy> latestActive(String id) {
    List<Policy> versions = versions(id);
    for (int i = versions.size() - 1; i >= 0; i--) {
      if (versions.get(i).status() == PolicyStatus.ACTIVE) {
        return Optional.of(versions.get(i));
      }
    }
    return Optional.empty();
  }

  /** The file a loaded version came from, e.g. {@code policies/self_harm/v2.yaml}. */
  public Path file(Policy policy) {
    Path f = files.get(policy.key());
    if (f == null) {
      throw new IllegalArgumentException(policy.key() + " is not in the library at " + root);
    }
    return f;
  }

  /**
   * One reference: {@code self_harm@2} is that version (whatever its status); {@code self_harm} is
   * the highest active version.
   *
   * @throws InputException naming what exists when the policy, the version or an active version is
   *     missing
   */
  public Policy resolve(PolicyRef ref) {
    List<Policy> versions = byId.get(ref.id());
    if (versions == null) {
      throw new InputException(
          "unknown policy \"" + ref.id() + "\"" + dev.plumb.core.Spelling.aside(ref.id(), byId.keySet())
              + "; the library at " + root + " has: " + String.join(", ", byId.keySet()));
    }
    if (ref.version().isPresent()) {
      int v = ref.version().getAsInt();
      return versions.stream()
          .filter(p -> p.version() == v)
          .findFirst()
          .orElseThrow(() -> new InputException(
              ref + " does not exist; " + ref.id() + " has " + describe(versions)));
    }
    return latestActive(ref.id())
        .orElseThrow(() -> new InputException(
            ref.id() + " has no active version (" + describe(versions) + "); name one, e.g. "
                + ref.id() + "@" + versions.get(versions.size() - 1).version()));
  }

  /**
   * The policies a command labels with. Empty {@code refs} means the highest active version of
   * every policy that has one (in id order); otherwise each reference is resolved as by
   * {@link #resolve(PolicyRef)}, in the order given. Naming the same version twice is harmless;
   * naming two versions of one policy is an error, since one prompt labels each policy once.
   *
   * @throws InputException when a reference does not resolve, or when nothing is active
   */
  public List<Policy> resolve(List<PolicyRef> refs) {
    if (refs.isEmpty()) {
      List<Policy> active = byId.keySet().stream().map(this::latestActive).flatMap(Optional::stream).toList();
      if (active.isEmpty()) {
        throw new InputException(
            "no active policy in " + root + "; name versions with --policy ID@V (" + all().stream()
                .map(p -> p.key() + " " + p.status().yamlName()).collect(Collectors.joining(", ")) + ")");
      }
      return active;
    }
    Map<String, Policy> chosen = new LinkedHashMap<>();
    for (PolicyRef ref : refs) {
      Policy p = resolve(ref);
      Policy before = chosen.putIfAbsent(p.id(), p);
      if (before != null && before.version() != p.version()) {
        throw new InputException(
            p.id() + " is named twice (" + before.key() + " and " + p.key() + "); a prompt labels each policy once");
      }
    }
    return List.copyOf(chosen.values());
  }

  /**
   * Parses and resolves references as typed on a command line ({@code self_harm},
   * {@code self_harm@2}); see {@link #resolve(List)}.
   *
   * @throws InputException for a malformed reference or one that does not resolve
   */
  public List<Policy> select(List<String> refs) {
    List<PolicyRef> parsed = new ArrayList<>();
    for (String r : refs) {
      try {
        parsed.add(PolicyRef.parse(r));
      } catch (IllegalArgumentException e) {
        throw new InputException(e.getMessage());
      }
    }
    return resolve(parsed);
  }

  /** The JSON Schema (draft 2020-12) of a policy version file, for editors and other tools. */
  public static String schema() {
    try (InputStream in = PolicyLibrary.class.getResourceAsStream(SCHEMA_RESOURCE)) {
      if (in == null) {
        throw new PlumbException("the policy schema is missing from the jar: " + SCHEMA_RESOURCE);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new PlumbException("cannot read the policy schema: " + e.getMessage(), e);
    }
  }

  private static String describe(List<Policy> versions) {
    return (versions.size() == 1 ? "version " : "versions ")
        + versions.stream().map(p -> p.version() + " (" + p.status().yamlName() + ")").collect(Collectors.joining(", "));
  }

  private static boolean isYaml(String name) {
    return name.endsWith(".yaml") || name.endsWith(".yml");
  }

  private static List<Path> list(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
    } catch (IOException e) {
      throw new InputException(Problem.at(dir.toString(), 0, "", "cannot list: " + e.getMessage()), e);
    }
  }

  private static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new InputException(Problem.at(file.toString(), 0, "", "cannot read: " + e.getMessage()), e);
    }
  }

  /** Stable order for people: by file, then line, then column (file-less problems first). */
  static List<Problem> sorted(List<Problem> problems) {
    List<Problem> out = new ArrayList<>(problems);
    out.sort(Comparator.comparing(Problem::source).thenComparingInt(Problem::line).thenComparingInt(Problem::column));
    return out;
  }
}
