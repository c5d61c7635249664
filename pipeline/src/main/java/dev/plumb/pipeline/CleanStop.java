package dev.plumb.pipeline;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C during a labeling run: the shutdown hook raises {@link #flag()} and holds the JVM (up to
 * 20 s) until the run has stopped cleanly — label file compacted, run record written — and
 * {@link #close()} is called. Used by {@code plumb label} and {@code plumb run}'s label stage.
 */
public final class CleanStop implements AutoCloseable {
  private final AtomicBoolean cancel = new AtomicBoolean();
  private final CountDownLatch finished = new CountDownLatch(1);
  private Thread hook;

  /** The flag the labeler polls; raised by Ctrl-C once {@link #arm(String)} was called. */
  public AtomicBoolean flag() {
    return cancel;
  }

  /** Installs the shutdown hook (a thread named {@code name}). */
  public CleanStop arm(String name) {
    // the labeler says itself what an interrupt kept and how to resume: the generic line would repeat it
    dev.plumb.core.Console.interruptReportedByCommand(true);
    hook = new Thread(() -> {
      cancel.set(true);
      try {
        finished.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, name);
    Runtime.getRuntime().addShutdownHook(hook);
    return this;
  }

  /** The run has stopped: releases a waiting hook, or removes it when nobody pressed Ctrl-C. */
  @Override
  public void close() {
    finished.countDown();
    if (hook == null) {
      return;
    }
    dev.plumb.core.Console.interruptReportedByCommand(false);
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down (Ctrl-C): the run has stopped cleanly
    }
  }
}
