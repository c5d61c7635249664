package dev.plumb.pipeline;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one progress display of a run: {@code [i/n] stage  elapsed  detail}. On a terminal the
 * current stage's line is redrawn in place every 200 ms (stage time, whole-run time, the stage's
 * own detail such as labels done); elsewhere each stage prints one line when it ends.
 */
final class Progress {
  private final PrintWriter err;
  private final boolean live;
  private final long runStart = System.nanoTime();
  private ScheduledExecutorService ticker;
  private ScheduledFuture<?> tick;
  private volatile String stage = "";
  private volatile String prefix = "";
  private volatile String detail = "";
  private volatile long stageStart;
  private int width;
  /** The stage-name column: 8, or the longest name of this run (a review in rounds has {@code answers-r1}). */
  private int nameWidth = 8;

  Progress(PrintWriter err, boolean live) {
    this.err = err;
    this.live = live;
  }

  /** Widens the stage-name column to the run's longest stage name, so every line's columns align. */
  synchronized void nameWidth(int longest) {
    nameWidth = Math.max(8, longest);
  }

  synchronized void begin(int i, int n, String name) {
    stage = name;
    prefix = String.format(Locale.ROOT, "[%" + String.valueOf(n).length() + "d/%d] %-" + nameWidth + "s", i, n, name);
    detail = "";
    stageStart = System.nanoTime();
    if (live) {
      if (ticker == null) {
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "plumb-run-progress");
          t.setDaemon(true);
          return t;
        });
      }
      tick = ticker.scheduleAtFixedRate(this::redraw, 0, 200, TimeUnit.MILLISECONDS);
    }
  }

  /** The running stage's own progress, e.g. "1,200/4,000 labels". */
  void detail(String text) {
    detail = text == null ? "" : text;
  }

  synchronized void end(Pipeline.Status status, String what) {
    stopTicker();
    double s = (System.nanoTime() - stageStart) / 1e9;
    String line = status == Pipeline.Status.SKIPPED
        ? String.format(Locale.ROOT, "%s %7s  skipped: %s", prefix, "", what)
        : String.format(Locale.ROOT, "%s %6.1fs  %s", prefix, s, what);
    print(line);
  }

  /** The stage failed; its error follows on the next lines. */
  synchronized void fail() {
    stopTicker();
    print(String.format(Locale.ROOT, "%s %6.1fs  FAILED", prefix, (System.nanoTime() - stageStart) / 1e9));
  }

  /** Seconds since the run started. */
  double elapsed() {
    return (System.nanoTime() - runStart) / 1e9;
  }

  void close() {
    stopTicker();
    if (ticker != null) {
      ticker.shutdownNow();
    }
  }

  private void stopTicker() {
    if (tick != null) {
      tick.cancel(false);
      tick = null;
    }
  }

  private synchronized void redraw() {
    double s = (System.nanoTime() - stageStart) / 1e9;
    String line = String.format(Locale.ROOT, "%s %6.1fs  %s  (run %s)", prefix, s, detail.isEmpty() ? "..." : detail,
        clock(elapsed()));
    int pad = Math.max(0, width - line.length());
    err.print("\r" + line + " ".repeat(pad));
    width = line.length();
    err.flush();
  }

  private void print(String line) {
    if (live) {
      int pad = Math.max(0, width - line.length());
      err.print("\r" + line + " ".repeat(pad) + "\n");
      width = 0;
    } else {
      err.println(line);
    }
    err.flush();
  }

  static String clock(double seconds) {
    long s = Math.round(seconds);
    return s < 60 ? s + "s" : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
  }
}
