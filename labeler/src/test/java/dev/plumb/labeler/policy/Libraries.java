package dev.plumb.labeler.policy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Test helpers: copy a library to a scratch directory and edit its files. */
final class Libraries {
  private Libraries() {}

  static Path copy(Path from, Path to) {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
      return to;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void replace(Path file, String from, String to) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      if (!text.contains(from)) {
        throw new AssertionError(file + " does not contain " + from);
      }
      Files.writeString(file, text.replace(from, to), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
