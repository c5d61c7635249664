package dev.plumb.core;

/**
 * The root of every exception plumb throws on purpose. Unchecked: callers catch the subclass that
 * tells them what to do.
 *
 * <ul>
 *   <li>{@link InputException}: something the user gave us is wrong (a file, a record, a config
 *       value); fixing the input is the only remedy. The command line maps it to exit code 2.
 *   <li>{@code PlumbException} itself: the run failed for a reason outside the input (a provider
 *       refused, the disk filled); exit code 3.
 * </ul>
 *
 * <p>Messages are written for the person at the terminal: one line, naming the value and where it is.
 * They must never contain secrets.
 */
public class PlumbException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PlumbException(String message) {
    super(message);
  }

  public PlumbException(String message, Throwable cause) {
    super(message, cause);
  }
}
