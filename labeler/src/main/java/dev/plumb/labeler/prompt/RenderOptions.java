package dev.plumb.labeler.prompt;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How a unit becomes chat messages.
 *
 * @param images whether pins' images are sent as image parts; when {@code false} (a backend without
 *     vision, or to save cost) the component's text stands in and the rendered prompt lists the
 *     components whose image was left out
 * @param baseDir the directory that relative image paths are resolved against: the units file's
 *     directory (docs/formats.md)
 * @param maxImageBytes the largest local image file that is inlined as a {@code data:} URL; a larger
 *     one is an input error rather than a request the provider would refuse
 */
public record RenderOptions(boolean images, Path baseDir, long maxImageBytes) {
  /** 5 MiB: the smallest per-image limit among the common providers (Anthropic). */
  public static final long DEFAULT_MAX_IMAGE_BYTES = 5L * 1024 * 1024;

  public RenderOptions {
    Objects.requireNonNull(baseDir, "baseDir");
    if (maxImageBytes < 1) {
      throw new IllegalArgumentException("maxImageBytes must be positive: " + maxImageBytes);
    }
  }

  /** Images as image parts; relative paths resolve against {@code baseDir}. */
  public static RenderOptions withImages(Path baseDir) {
    return new RenderOptions(true, baseDir, DEFAULT_MAX_IMAGE_BYTES);
  }

  /** Text only: every image is left out and its component's text stands in. */
  public static RenderOptions textOnly() {
    return new RenderOptions(false, Path.of(""), DEFAULT_MAX_IMAGE_BYTES);
  }

  public RenderOptions withMaxImageBytes(long bytes) {
    return new RenderOptions(images, baseDir, bytes);
  }
}
