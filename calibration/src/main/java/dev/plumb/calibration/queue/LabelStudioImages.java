package dev.plumb.calibration.queue;

/**
 * How a queue's Label Studio files carry each unit's images (docs/review.md, "Label Studio setup").
 */
public enum LabelStudioImages {
  /**
   * One {@code <Image valueList="$images"/>} tag over the task's list of images: only Label Studio
   * releases whose image tag takes {@code valueList}; none of the frontend builds on npm does
   * ({@code @heartexlabs/label-studio} 1.4.0 shows a blank screen, {@code label-studio-frontend}
   * 1.7.1 and {@code label-studio} 1.0.1 show no image; docs/review.md).
   */
  LIST,
  /**
   * A fixed number of single-image tags, {@code <Image name="image_1" value="$image_1"/>} and so on,
   * as many as the queue's unit with the most images needs; a unit with fewer fills the rest with a
   * transparent 1×1 image. Renders with every image in the npm frontend builds 1.4.0
   * ({@code @heartexlabs/label-studio}) and 1.7.1 ({@code label-studio-frontend})
   * (bench/label-studio-render.sh).
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
