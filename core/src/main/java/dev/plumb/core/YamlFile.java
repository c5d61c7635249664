package dev.plumb.core;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A config file kind and how it becomes a value: the YAML read strictly by {@link LocatedYaml}
 * under the kind's rules, an empty file answered in the kind's one way (a default, or a one-line
 * problem saying what the file needs), and any other document handed to the kind's reader. A
 * config class's {@code read(Path)} and {@code parse(String, source)} both go through it, so the two
 * cannot drift apart (docs/architecture.md, "Repeated code").
 *
 * @param <T> what the file describes
 */
public final class YamlFile<T> {
  private final LocatedYaml.Kind kind;
  private final Function<LocatedYaml, T> whenEmpty;
  private final Function<LocatedYaml, T> reader;

  private YamlFile(LocatedYaml.Kind kind, Function<LocatedYaml, T> whenEmpty, Function<LocatedYaml, T> reader) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.whenEmpty = Objects.requireNonNull(whenEmpty, "whenEmpty");
    this.reader = Objects.requireNonNull(reader, "reader");
  }

  /**
   * A file that must say something: an empty one (nothing but comments and blank lines) is the
   * problem {@code <source>: empty <file>; it needs <needs>}.
   *
   * @param file the kind's name in messages, e.g. {@code design file}
   * @param needs what the smallest valid file holds, e.g. {@code at least type: and n:}
   * @param reader turns a non-empty document into the value; throws {@link InputException}
   */
  public static <T> YamlFile<T> required(String file, String needs, Function<LocatedYaml, T> reader) {
    return new YamlFile<>(LocatedYaml.Kind.of(file), doc -> {
      throw new InputException(Problem.of(doc.source() + ": empty " + file + "; it needs " + needs));
    }, reader);
  }

  /**
   * A file whose every setting has a default: an empty one is {@code defaults.get()}.
   *
   * @param file the kind's name in messages, e.g. {@code sign-off file}
   */
  public static <T> YamlFile<T> optional(String file, Supplier<T> defaults, Function<LocatedYaml, T> reader) {
    Objects.requireNonNull(defaults, "defaults");
    return new YamlFile<>(LocatedYaml.Kind.of(file), doc -> defaults.get(), reader);
  }

  /**
   * Reads {@code path}.
   *
   * @throws InputException naming the file (and line, column and field where there is one)
   */
  public T read(Path path) {
    return of(LocatedYaml.read(path, kind));
  }

  /**
   * Parses {@code yaml}; {@code source} names it in messages.
   *
   * @throws InputException naming the source (and line, column and field where there is one)
   */
  public T parse(String yaml, String source) {
    return of(LocatedYaml.parse(yaml, source, kind));
  }

  private T of(LocatedYaml doc) {
    return doc.isEmpty() ? whenEmpty.apply(doc) : reader.apply(doc);
  }
}
