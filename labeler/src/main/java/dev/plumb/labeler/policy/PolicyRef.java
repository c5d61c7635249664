package dev.plumb.labeler.policy;

import dev.plumb.core.PolicyKey;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reference to a policy: {@code self_harm@3} names version 3; {@code self_harm} means the highest
 * active version.
 */
public record PolicyRef(String id, OptionalInt version) {
  /** Policy ids: lowercase letters, digits and underscores, starting with a letter ({@link PolicyKey#ID}). */
  public static final Pattern ID = PolicyKey.ID;

  private static final Pattern REF = Pattern.compile("([a-z][a-z0-9_]*)(?:@([1-9][0-9]{0,5}))?");

  public PolicyRef {
    PolicyKey.requireId(id);
  }

  /**
   * Parses {@code id} or {@code id@version}.
   *
   * @throws IllegalArgumentException naming the text when it is not a reference
   */
  public static PolicyRef parse(String text) {
    Matcher m = REF.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "invalid policy reference \"" + text + "\": expected ID or ID@VERSION, e.g. self_harm@3");
    }
    return new PolicyRef(
        m.group(1), m.group(2) == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(m.group(2))));
  }

  public static PolicyRef of(String id, int version) {
    return new PolicyRef(id, OptionalInt.of(version));
  }

  /** The reference to exactly this version. */
  public static PolicyRef of(PolicyKey key) {
    return of(key.id(), key.version());
  }

  /** The version key, when the reference names a version. */
  public java.util.Optional<PolicyKey> key() {
    return version.isPresent() ? java.util.Optional.of(new PolicyKey(id, version.getAsInt())) : java.util.Optional.empty();
  }

  @Override
  public String toString() {
    return key().map(PolicyKey::toString).orElse(id);
  }
}
