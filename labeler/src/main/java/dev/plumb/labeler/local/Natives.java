package dev.plumb.labeler.local;

import dev.plumb.core.Hashing;
import dev.plumb.core.PlumbException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the native libraries and caches of ONNX Runtime and DJL inside the plumb cache directory
 * instead of {@code ~/.djl.ai} and a fresh {@code /tmp/onnxruntime-java*} directory per run.
 * Settings the user already made (system properties or environment) win.
 */
final class Natives {
  private static final String[] ORT_LIBRARIES = {"onnxruntime", "onnxruntime4j_jni"};
  private static boolean prepared;

  private Natives() {}

  /** Idempotent; must run before the first ONNX Runtime or DJL class is initialised. */
  static synchronized void prepare(Path cacheDir) {
    if (prepared) {
      return;
    }
    prepared = true;
    // DJL reads these lazily; "offline" stops it from ever trying to download a native library.
    if (System.getenv("DJL_CACHE_DIR") == null && System.getProperty("DJL_CACHE_DIR") == null) {
      System.setProperty("DJL_CACHE_DIR", cacheDir.resolve("djl").toAbsolutePath().toString());
    }
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    // ONNX Runtime reports library loading to java.util.logging; nothing there is for the user.
    Logger.getLogger("ai.onnxruntime").setLevel(Level.WARNING);
    if (System.getProperty("onnxruntime.native.path") == null) {
      Path dir = extractOnnxRuntime(cacheDir);
      if (dir != null) {
        System.setProperty("onnxruntime.native.path", dir.toString());
      }
    }
  }

  /**
   * Copies ONNX Runtime's libraries for this platform out of its jar, once, into a directory named
   * by their content hash. Returns {@code null} (ONNX Runtime then extracts them itself) when the
   * jar has no libraries for this platform.
   */
  private static Path extractOnnxRuntime(Path cacheDir) {
    String platform = platform();
    if (platform == null) {
      return null;
    }
    ClassLoader loader = Natives.class.getClassLoader();
    byte[][] libs = new byte[ORT_LIBRARIES.length][];
    StringBuilder digests = new StringBuilder();
    try {
      for (int i = 0; i < libs.length; i++) {
        String resource = "ai/onnxruntime/native/" + platform + "/" + System.mapLibraryName(ORT_LIBRARIES[i]);
        try (InputStream in = loader.getResourceAsStream(resource)) {
          if (in == null) {
            return null;
          }
          libs[i] = in.readAllBytes();
        }
        digests.append(Hashing.sha256(libs[i]));
      }
      String id = Hashing.sha256(digests.toString()).substring(Hashing.PREFIX.length(), Hashing.PREFIX.length() + 16);
      Path dir = cacheDir.resolve("native").resolve("onnxruntime-" + platform + "-" + id).toAbsolutePath();
      Files.createDirectories(dir);
      for (int i = 0; i < libs.length; i++) {
        Path target = dir.resolve(System.mapLibraryName(ORT_LIBRARIES[i]));
        if (Files.exists(target) && Files.size(target) == libs[i].length) {
          continue;
        }
        // Another plumb process may extract at the same time: write aside, then rename.
        Path temp = Files.createTempFile(dir, ".lib", ".partial");
        Files.write(temp, libs[i]);
        try {
          Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      return dir;
    } catch (IOException e) {
      throw new PlumbException("cannot prepare the embedding model's native libraries in " + cacheDir + ": " + e.getMessage(), e);
    }
  }

  /** ONNX Runtime's name for this platform's resource directory, or {@code null}. */
  private static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String o = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "osx" : os.startsWith("windows") ? "win" : null;
    String a = arch.equals("amd64") || arch.equals("x86_64") ? "x64" : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : null;
    return o == null || a == null ? null : o + "-" + a;
  }
}
