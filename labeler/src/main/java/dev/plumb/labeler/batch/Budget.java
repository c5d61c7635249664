package dev.plumb.labeler.batch;

import java.util.Locale;

/**
 * The spending cap ({@code --budget-usd}): a call reserves its worst-case cost before it starts and
 * releases the reservation when it ends, so that calls in flight together can never overshoot the
 * cap. Without a cap every reservation succeeds. Thread-safe.
 */
final class Budget {
  private final Double capUsd;
  private double spent;
  private double reserved;

  /** @param capUsd the cap in dollars, or null for none */
  Budget(Double capUsd) {
    this.capUsd = capUsd;
  }

  /** Reserves {@code worst} dollars; false when spent + reserved + worst would pass the cap. */
  synchronized boolean reserve(double worst) {
    if (capUsd == null) {
      return true;
    }
    if (spent + reserved + worst > capUsd) {
      return false;
    }
    reserved += worst;
    return true;
  }

  /** Gives back a reservation made by {@link #reserve}. */
  synchronized void release(double worst) {
    if (capUsd != null) {
      reserved -= worst;
    }
  }

  /** Adds what a call actually cost. */
  synchronized void spend(double usd) {
    spent += usd;
  }

  /** Why the run stopped, given the most the next request could cost. */
  synchronized String stopMessage(double nextWorst) {
    return String.format(Locale.ROOT,
        "stopped before exceeding --budget-usd %s: $%.4f spent, the next request could cost up to $%.4f more",
        LabelRecords.usd(capUsd), spent, nextWorst);
  }
}
