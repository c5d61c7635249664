package dev.plumb.core;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A constant of a closed set (an enum) that goes by its name in lower case in files and on the
 * command line: {@code NEYMAN} is {@code neyman}. The enum supplies {@link #name()}.
 */
public interface LowerCaseId {
  /** The constant's name, as {@link Enum#name()}. */
  String name();

  /** The name in files and on the command line: {@link #name()} in lower case. */
  default String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The constant of {@code values} whose {@link #id()} is {@code id} (exactly, lower case), or null. */
  static <E extends LowerCaseId> E parse(E[] values, String id) {
    for (E e : values) {
      if (e.id().equals(id)) {
        return e;
      }
    }
    return null;
  }

  /** The ids of {@code values}, in their order: what a message lists as the accepted values. */
  static List<String> ids(LowerCaseId[] values) {
    return Arrays.stream(values).map(LowerCaseId::id).toList();
  }
}
