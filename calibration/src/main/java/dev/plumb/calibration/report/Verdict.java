package dev.plumb.calibration.report;

/** A sign-off verdict, in increasing severity. */
public enum Verdict {
  PASS, WARN, FAIL;

  /** The more severe of the two. */
  public Verdict worst(Verdict other) {
    return other.ordinal() > ordinal() ? other : this;
  }

  /** How the verdict reads in a page. */
  public Html.Tone tone() {
    return switch (this) {
      case PASS -> Html.Tone.GOOD;
      case WARN -> Html.Tone.WARN;
      case FAIL -> Html.Tone.BAD;
    };
  }
}
