package dev.plumb.pipeline;

import dev.plumb.core.Hashing;
import dev.plumb.core.InputException;
import dev.plumb.core.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.stream.Stream;

/** Content digests of stage inputs and outputs: a file's bytes, or a folder's files and their names. */
final class Inputs {
  private Inputs() {}

  /**
   * {@code sha256:...} of a file's bytes; of a folder, over its files' relative names and digests in
   * name order (hidden files, such as a temporary {@code .x.partial}, are left out); {@code "missing"}
   * when the path does not exist.
   */
  static String hash(Path path) {
    if (Files.isRegularFile(path)) {
      return Hashing.sha256(path);
    }
    if (!Files.isDirectory(path)) {
      return "missing";
    }
    MessageDigest md = Hashing.sha256();
    try (Stream<Path> files = Files.walk(path)) {
      List<Path> list = files.filter(Files::isRegularFile)
          .filter(p -> !path.relativize(p).toString().startsWith(".") && !p.getFileName().toString().startsWith("."))
          .sorted().toList();
      for (Path f : list) {
        md.update(path.relativize(f).toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        md.update(Hashing.sha256(f).getBytes(StandardCharsets.UTF_8));
        md.update((byte) '\n');
      }
    } catch (IOException e) {
      throw new InputException(Problem.of(path + ": cannot read: " + e.getMessage()), e);
    }
    return Hashing.format(md.digest());
  }

  /** Deletes a file or a folder with everything in it; nothing when it does not exist. */
  static void delete(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> files = Files.walk(path)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
