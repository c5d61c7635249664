package dev.plumb.labeler.prompt;

import dev.plumb.core.InputException;
import dev.plumb.core.Problem;
import dev.plumb.labeler.unit.Component;
import dev.plumb.labeler.unit.Unit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns a component's {@code image} reference into the URL of an image part: an {@code http(s)}
 * URL or a {@code data:image/...} URL is used as it is; anything else is a file path, resolved
 * against the units file's directory and inlined as a base64 {@code data:} URL whose MIME type comes
 * from the file's content (PNG, JPEG, GIF, WebP), not its name.
 */
final class Images {
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

  private Images() {}

  static String url(Unit unit, Component component, RenderOptions options) {
    String ref = component.image().strip();
    String lower = ref.toLowerCase(Locale.ROOT);
    if (lower.startsWith("https://") || lower.startsWith("http://")) {
      return ref;
    }
    if (lower.startsWith("data:image/")) {
      return ref;
    }
    if (SCHEME.matcher(ref).find() && !looksLikeWindowsDrive(ref)) {
      throw new InputException(Problem.of("unit " + UnitJson.quote(unit.id()) + ": component "
          + UnitJson.quote(component.id()) + ": unsupported image reference " + UnitJson.quote(ref)
          + "; use an http(s) URL, a data:image URL, or a path relative to the units file"));
    }
    Path file;
    try {
      file = options.baseDir().resolve(ref).normalize();
    } catch (InvalidPathException e) {
      throw new InputException(Problem.of("unit " + UnitJson.quote(unit.id()) + ": component "
          + UnitJson.quote(component.id()) + ": invalid image path " + UnitJson.quote(ref)), e);
    }
    String where = " (unit " + UnitJson.quote(unit.id()) + ", component " + UnitJson.quote(component.id()) + ")";
    byte[] bytes;
    try {
      long size = Files.size(file);
      if (size > options.maxImageBytes()) {
        throw new InputException(Problem.of(file + ": image is " + size + " bytes, above the limit of "
            + options.maxImageBytes() + " bytes" + where));
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new InputException(Problem.of(file + ": image file not found" + where), e);
    } catch (IOException e) {
      throw new InputException(Problem.of(file + ": cannot read image: " + e.getMessage() + where), e);
    }
    String mime = mimeType(bytes);
    if (mime == null) {
      throw new InputException(Problem.of(file + ": not a PNG, JPEG, GIF or WebP image" + where));
    }
    return "data:" + mime + ";base64," + Base64.getEncoder().encodeToString(bytes);
  }

  /** The image type from the file's first bytes, or {@code null} when it is none we send. */
  static String mimeType(byte[] b) {
    if (startsWith(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return "image/png";
    }
    if (startsWith(b, 0, 0xFF, 0xD8, 0xFF)) {
      return "image/jpeg";
    }
    if (startsWith(b, 0, 'G', 'I', 'F', '8', '7', 'a') || startsWith(b, 0, 'G', 'I', 'F', '8', '9', 'a')) {
      return "image/gif";
    }
    if (startsWith(b, 0, 'R', 'I', 'F', 'F') && startsWith(b, 8, 'W', 'E', 'B', 'P')) {
      return "image/webp";
    }
    return null;
  }

  private static boolean startsWith(byte[] bytes, int offset, int... prefix) {
    if (bytes.length < offset + prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((bytes[offset + i] & 0xFF) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean looksLikeWindowsDrive(String ref) {
    return ref.length() > 2 && Character.isLetter(ref.charAt(0)) && ref.charAt(1) == ':'
        && (ref.charAt(2) == '\\' || ref.charAt(2) == '/');
  }
}
