package dev.plumb.calibration.queue;

/**
 * How a queue's Label Studio files carry each unit's images (docs/review.md, "Label Studio setup").
 */
public enum LabelStudioImages {
  /**
   * One {@code <Image valueList="$images"/>} tag over the task's list of images: recent Label Studio
   * releases only; the frontend build on npm ({@code @heartexlabs/label-studio} 1.4.0) shows a blank
   * labeling screen with it.
   */
  LIST,
  /**
   * A fixed number of single-image tags, {@code <Image name="image_1" value="$image_1"/>} and so on,
   * as many as the queue's unit with the most images needs; a unit with fewer fills the rest with a
   * transparent 1×1 image. Renders in the npm frontend 1.4.0 (bench/label-studio-render.sh).
   */
  SLOTS;

  /** Parses {@code list} or {@code slots}; anything else is an {@link IllegalArgumentException} naming both. */
  public static LabelStudioImages parse(String value) {
    return switch (value) {
      case "list" -> LIST;
      case "slots" -> SLOTS;
      default -> throw new IllegalArgumentException("expected list or slots, got \"" + value + "\"");
    };
  }
}
