package dev.plumb.core;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Bad input: one or more {@link Problem}s, each naming the file, line, column and field. The message
 * is the problems, one per line, so a command can print it as is.
 */
public class InputException extends PlumbException {
  private static final long serialVersionUID = 1L;

  private final transient List<Problem> problems;

  public InputException(List<Problem> problems) {
    super(render(problems));
    this.problems = List.copyOf(problems);
  }

  public InputException(Problem problem) {
    this(List.of(problem));
  }

  /** A problem that belongs to no particular file or field, e.g. a bad command-line value. */
  public InputException(String message) {
    this(Problem.of(message));
  }

  /** Wraps a lower-level failure (an I/O error reading the input) without losing its cause. */
  public InputException(Problem problem, Throwable cause) {
    super(problem.toString(), cause);
    this.problems = List.of(problem);
  }

  /** The problems, in the order they were found; never empty. */
  public List<Problem> problems() {
    return problems;
  }

  private static String render(List<Problem> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("an InputException needs at least one problem");
    }
    return problems.stream().map(Problem::toString).collect(Collectors.joining("\n"));
  }
}
