package dev.plumb.core;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One version of one policy, written {@code id@version} ({@code self_harm@2}): the key labels, gold
 * records, queues, reports and the policy lock carry (docs/formats.md). Labeler's {@code PolicyRef}
 * is a reference that may leave the version out ("the highest active one"); a reference with a
 * version is a key.
 *
 * @param id lowercase letters, digits and underscores, starting with a letter
 * @param version 1 to 999999
 */
public record PolicyKey(String id, int version) implements Comparable<PolicyKey> {
  /** Policy ids: lowercase letters, digits and underscores, starting with a letter. */
  public static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]*");

  private static final Pattern KEY = Pattern.compile("([a-z][a-z0-9_]*)@([1-9][0-9]{0,5})");

  public PolicyKey {
    requireId(id);
    if (version < 1 || version > 999_999) {
      throw new IllegalArgumentException("invalid policy version: " + version + " (expected 1 to 999999)");
    }
  }

  /**
   * Parses {@code id@version}.
   *
   * @throws IllegalArgumentException naming the text when it is not a key
   */
  public static PolicyKey parse(String text) {
    Matcher m = KEY.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "invalid policy key \"" + text + "\": expected ID@VERSION, e.g. self_harm@2");
    }
    return new PolicyKey(m.group(1), Integer.parseInt(m.group(2)));
  }

  /**
   * The id part of a policy as a data file names it: before the {@code @} of {@code id@version}, or
   * the whole text when it has no version. Does not validate: files that name a policy by an id of
   * their own keep it.
   */
  public static String idOf(String text) {
    int at = text.indexOf('@');
    return at < 0 ? text : text.substring(0, at);
  }

  /**
   * The id itself.
   *
   * @throws IllegalArgumentException {@code invalid policy id: "…"} when it is not an id
   */
  public static String requireId(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("invalid policy id: \"" + id + "\"");
    }
    return id;
  }

  /** By id, then by version number (so {@code x@10} follows {@code x@9}). */
  @Override
  public int compareTo(PolicyKey o) {
    int c = id.compareTo(o.id);
    return c != 0 ? c : Integer.compare(version, o.version);
  }

  /** {@code id@version}, e.g. {@code self_harm@2}. */
  @Override
  public String toString() {
    return id + "@" + version;
  }
}
