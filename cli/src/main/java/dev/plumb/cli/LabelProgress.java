package dev.plumb.cli;

import dev.plumb.labeler.batch.Progress;
import dev.plumb.labeler.batch.ProgressListener;
import dev.plumb.labeler.batch.RunSummary;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows a batch run's progress on standard error: a live bar on a terminal (done/total, rate,
 * ETA, errors, 429s, cost), and a plain line every 10 seconds otherwise (logs, CI).
 */
final class LabelProgress implements ProgressListener {
  private static final long LINE_INTERVAL_NANOS = 10_000_000_000L;

  private final PrintWriter err;
  private final boolean terminal;
  private ProgressBar bar;
  private long lastLine;

  LabelProgress(PrintWriter err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
  }

  /** Progress on {@code err}: a redrawn bar on an interactive terminal, else a line now and then. */
  static LabelProgress on(PrintWriter err) {
    return new LabelProgress(err, terminal());
  }

  /** Whether the process runs in an interactive terminal that can redraw a line (not TERM=dumb). */
  static boolean terminal() {
    return System.console() != null && !"dumb".equals(System.getenv("TERM"));
  }

  @Override
  public void started(Progress p) {
    if (terminal) {
      bar = new ProgressBarBuilder()
          .setTaskName("label")
          .setInitialMax(p.total())
          .setStyle(ProgressBarStyle.ASCII)
          .setUpdateIntervalMillis(250)
          .showSpeed()
          .setSpeedUnit(java.time.temporal.ChronoUnit.SECONDS)
          .setConsumer(new WriterConsumer(err))
          .build();
      bar.setExtraMessage(extra(p));
    } else {
      err.printf(Locale.ROOT, "labeling %,d labels%s%n", p.total(),
          p.resumed() > 0 ? " (" + p.resumed() + " already done)" : "");
      err.flush();
    }
    lastLine = System.nanoTime();
  }

  @Override
  public void progress(Progress p) {
    if (bar != null) {
      bar.stepTo(p.done());
      bar.setExtraMessage(extra(p));
      return;
    }
    if (System.nanoTime() - lastLine >= LINE_INTERVAL_NANOS) {
      err.println(line(p));
      err.flush();
      lastLine = System.nanoTime();
    }
  }

  @Override
  public void notice(String message) {
    if (bar != null) {
      err.print("\r\033[K");
    }
    err.println("plumb: " + message);
    err.flush();
  }

  @Override
  public void finished(RunSummary summary) {
    if (bar != null) {
      bar.stepTo(summary.progress().done());
      bar.setExtraMessage(extra(summary.progress()));
      bar.close();
      bar = null;
    }
  }

  /** The two lines a finished labeling run prints: label counts of {@code out}, then this run's requests, tokens, cost, time. */
  static void summary(PrintWriter out, java.nio.file.Path labels, RunSummary s, int policies) {
    RunSummary.Counts c = s.counts();
    out.printf(Locale.ROOT, "%s: %,d ok, %,d invalid, %,d failed, %,d missing (%,d labels, %,d %s)%n",
        labels, c.ok(), c.invalid(), c.failed(), c.missing(), c.total(), policies, policies == 1 ? "policy" : "policies");
    var p = s.progress();
    out.printf(Locale.ROOT, "this run: %,d requests (%,d retries, %,d rate-limited, %,d errors, %,d from cache),"
            + " %,d tokens in%s, %,d out, $%.4f, %s%n",
        p.requests(), p.retries(), p.rateLimited(), p.errors(), p.cacheHits(), p.inputTokens(),
        p.cachedInputTokens() > 0
            ? String.format(Locale.ROOT, " (%,d from the provider's prompt cache)", p.cachedInputTokens()) : "",
        p.outputTokens(), p.costUsd(), duration(p.elapsed()));
    out.println("run record: " + s.runFile());
  }

  private static String extra(Progress p) {
    return String.format(Locale.ROOT, " %,d failed, %,d invalid, %,d errors, %,d 429s, $%.4f",
        p.failed(), p.invalid(), p.errors(), p.rateLimited(), p.costUsd());
  }

  /** "label 1200/5000 (24%), 41.2/s, ETA 1m32s; ok 1190, invalid 3, failed 7; 2 errors, 0 429s; $0.4100". */
  static String line(Progress p) {
    Duration eta = p.eta();
    return String.format(Locale.ROOT,
        "label %,d/%,d (%.0f%%), %.1f/s, ETA %s; ok %,d, invalid %,d, failed %,d; %,d errors, %,d 429s; $%.4f",
        p.done(), p.total(), p.total() == 0 ? 100.0 : 100.0 * p.done() / p.total(), p.labelsPerSecond(),
        eta == null ? "-" : duration(eta), p.ok(), p.invalid(), p.failed(), p.errors(), p.rateLimited(), p.costUsd());
  }

  /** 2h03m, 4m05s, 12.3s. */
  static String duration(Duration d) {
    long s = d.getSeconds();
    if (s >= 3600) {
      return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
    if (s >= 60) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
  }

  /** Renders the bar on the command's error writer, rewriting one line. */
  private static final class WriterConsumer implements ProgressBarConsumer {
    private final PrintWriter out;

    WriterConsumer(PrintWriter out) {
      this.out = out;
    }

    @Override
    public int getMaxRenderedLength() {
      return 110;
    }

    @Override
    public void accept(String rendered) {
      out.print('\r');
      out.print(rendered);
      out.flush();
    }

    @Override
    public void close() {
      out.println();
      out.flush();
    }
  }
}
