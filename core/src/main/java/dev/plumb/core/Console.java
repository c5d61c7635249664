package dev.plumb.core;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * What plumb's command-line front ends ({@code plumb}, and {@code plumb-spark}'s {@code SparkJob})
 * share: the exit codes, the standard streams as UTF-8 whatever the platform's default, and how a
 * failure is printed. Only a {@code main} method exits, through {@link #exit}.
 */
public final class Console {
  /** The command did its job. */
  public static final int OK = 0;
  /** The command ran, and a check it performs found problems (validate, check, --strict). */
  public static final int CHECK_FAILED = 1;
  /** Bad input or usage: a file, a record, a config value or a command-line argument is wrong. */
  public static final int BAD_INPUT = 2;
  /** The run failed for another reason (a provider refused, the disk filled, a bug). */
  public static final int RUNTIME_FAILURE = 3;

  private Console() {}

  /** Set while a command that prints its own interrupt message (the labeler) runs. */
  private static final java.util.concurrent.atomic.AtomicBoolean SELF_REPORTED =
      new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * While {@code true}, an interrupt prints no generic line: the running command reports what it
   * kept and how to resume itself (the labeler, which stops cleanly on Ctrl-C).
   */
  public static void interruptReportedByCommand(boolean reported) {
    SELF_REPORTED.set(reported);
  }

  /** A front end run in-process on the given writers; returns its exit code. */
  @FunctionalInterface
  public interface Program {
    int run(PrintWriter out, PrintWriter err, String... args);
  }

  /** Runs {@code program} on standard output and error (UTF-8, flushed) and exits with its code. */
  public static void exit(Program program, String... args) {
    exit(null, program, args);
  }

  /**
   * As {@link #exit(Program, String...)}; when the JVM is stopped before the program returns
   * (Ctrl-C, SIGTERM), prints one line on standard error saying what is kept and, when {@code tool}
   * is given, the command that resumes: {@code tool: interrupted; finished outputs are kept,
   * unfinished ones discarded (their previous versions stay); to resume: tool ARGS}.
   */
  public static void exit(String tool, Program program, String... args) {
    PrintWriter out = utf8(FileDescriptor.out);
    PrintWriter err = utf8(FileDescriptor.err);
    java.util.concurrent.atomic.AtomicBoolean returned = new java.util.concurrent.atomic.AtomicBoolean();
    Thread hook = new Thread(() -> {
      if (!returned.get() && !SELF_REPORTED.get()) {
        err.println(interrupted(tool, args));
        err.flush();
      }
    }, "plumb-interrupt-message");
    Runtime.getRuntime().addShutdownHook(hook);
    int code = program.run(out, err, args);
    returned.set(true);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** The line an interrupted command prints (see {@link #exit(String, Program, String...)}). */
  static String interrupted(String tool, String... args) {
    StringBuilder sb = new StringBuilder(tool == null ? "interrupted" : tool + ": interrupted")
        .append("; finished outputs are kept, unfinished ones discarded (their previous versions stay)");
    if (tool != null) {
      sb.append("; to resume: ").append(tool);
      for (String a : args) {
        sb.append(' ').append(a.matches("[A-Za-z0-9_@%+=:,./-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
      }
    }
    return sb.toString();
  }

  /**
   * Prints a failure the way every front end does and returns its exit code: bad input (an {@link
   * InputException}) as its problems, one a line ({@link #BAD_INPUT}); another {@link PlumbException}
   * as {@code tool: message}; anything else, a bug, as {@code tool: internal error: <exception><hint>}
   * ({@link #RUNTIME_FAILURE} for both).
   */
  public static int report(Throwable ex, PrintWriter err, String tool, String hint) {
    if (ex instanceof InputException input) {
      input.problems().forEach(err::println);
      return BAD_INPUT;
    }
    if (ex instanceof PlumbException) {
      err.println(tool + ": " + ex.getMessage());
    } else {
      err.println(tool + ": internal error: " + ex + hint);
    }
    return RUNTIME_FAILURE;
  }

  private static PrintWriter utf8(FileDescriptor fd) {
    return new PrintWriter(new OutputStreamWriter(new FileOutputStream(fd), StandardCharsets.UTF_8), true);
  }
}
