package dev.plumb.pipeline;

import dev.plumb.calibration.queue.ReviewPolicy;
import dev.plumb.core.InputException;
import dev.plumb.labeler.policy.Category;
import dev.plumb.labeler.policy.Decision;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.policy.PolicyLibrary;
import dev.plumb.labeler.policy.PolicyRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The policy library's decisions and categories in the shapes calibration takes (calibration knows
 * nothing about the policy model): a lookup for review queues, and key → decision → positive for
 * the report's checks.
 */
public final class LibraryDecisions {
  private LibraryDecisions() {}

  /** Decisions and categories of {@code id@version} from the library in {@code dir}; empty for any key when there is none. */
  public static Function<String, Optional<ReviewPolicy>> lookup(Path dir) {
    if (dir == null || !Files.isDirectory(dir)) {
      return key -> Optional.empty();
    }
    PolicyLibrary library = PolicyLibrary.load(dir);
    return key -> {
      Policy p;
      try {
        p = library.resolve(PolicyRef.parse(key));
      } catch (InputException | IllegalArgumentException e) {
        return Optional.empty();
      }
      List<String> categories = new ArrayList<>();
      for (Category c : p.categories()) {
        categories.add(c.id());
      }
      return Optional.of(new ReviewPolicy(key, decisions(p), categories));
    };
  }

  /** Every version in the library in {@code dir}: key → decision → positive; empty when {@code dir} is null. */
  public static Map<String, Map<String, Boolean>> all(Path dir) {
    if (dir == null) {
      return Map.of();
    }
    Map<String, Map<String, Boolean>> out = new LinkedHashMap<>();
    for (Policy p : PolicyLibrary.load(dir).all()) {
      out.put(p.key(), decisions(p));
    }
    return out;
  }

  /** Only version {@code key} of the library in {@code dir} (empty when {@code dir} is null or has no such version). */
  public static Map<String, Map<String, Boolean>> only(Path dir, String key) {
    Map<String, Boolean> d = all(dir).get(key);
    return d == null || d.isEmpty() ? Map.of() : Map.of(key, d);
  }

  private static Map<String, Boolean> decisions(Policy p) {
    Map<String, Boolean> d = new LinkedHashMap<>();
    for (Decision x : p.decisions()) {
      d.put(x.id(), x.positive());
    }
    return d;
  }
}
