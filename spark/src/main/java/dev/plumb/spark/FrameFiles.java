package dev.plumb.spark;

import dev.plumb.core.Hashing;
import dev.plumb.core.InputException;
import dev.plumb.core.PlumbException;
import dev.plumb.core.Problem;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The files of a frame named by one argument: a file, a directory (its files, recursively, without
 * the {@code _}- and {@code .}-prefixed bookkeeping files Spark and Hadoop write), or a glob
 * ({@code logs/day=2026-11-2*}/part-*.jsonl.gz), on any file system Hadoop reads (local, HDFS, S3A,
 * GCS). Each file is read whole by one task, so a frame's parallelism is its number of files.
 *
 * @param argument the frame as the user named it
 * @param files the files in path order, each with the name used in messages
 */
record FrameFiles(String argument, List<File> files) implements Serializable {

  /**
   * One file.
   *
   * @param path the fully qualified path
   * @param name how messages name it: the argument itself for a single-file frame (exactly as
   *     {@code plumb sample} names it), else the path (without {@code file:} for local files)
   * @param length bytes, for the largest-first task order
   */
  record File(String path, String name, long length) implements Serializable {}

  static FrameFiles list(String argument, Configuration conf) {
    try {
      Path given = new Path(argument);
      FileSystem fs = given.getFileSystem(conf);
      FileStatus[] matched = fs.globStatus(given);
      List<FileStatus> found = new ArrayList<>();
      if (matched != null) {
        for (FileStatus s : matched) {
          collect(fs, s, found);
        }
      }
      if (found.isEmpty()) {
        throw new InputException(Problem.of(argument + ": file not found"));
      }
      found.sort(Comparator.comparing(s -> s.getPath().toString()));
      boolean single = found.size() == 1 && matched.length == 1 && matched[0].isFile();
      List<File> files = new ArrayList<>(found.size());
      for (FileStatus s : found) {
        Path p = s.getPath();
        String name = single ? argument
            : "file".equals(p.toUri().getScheme()) ? p.toUri().getPath() : p.toString();
        files.add(new File(p.toString(), name, s.getLen()));
      }
      return new FrameFiles(argument, List.copyOf(files));
    } catch (IOException e) {
      throw new InputException(Problem.of(argument + ": cannot list: " + e.getMessage()), e);
    }
  }

  private static void collect(FileSystem fs, FileStatus s, List<FileStatus> out) throws IOException {
    String name = s.getPath().getName();
    if (name.startsWith("_") || name.startsWith(".")) {
      return;
    }
    if (s.isFile()) {
      out.add(s);
      return;
    }
    for (FileStatus c : fs.listStatus(s.getPath())) {
      collect(fs, c, out);
    }
  }

  /**
   * The frame's digest for sample.json: a single file's own SHA-256 (as {@code plumb sample} records
   * it), or for several files the SHA-256 of the text made of one line {@code <sha256> <path>\n} per
   * file in path order, each path relative to the files' deepest common directory (so the digest
   * does not depend on where the frame is stored).
   */
  String digest(List<String> fileDigests) {
    if (files.size() == 1) {
      return fileDigests.get(0);
    }
    String common = files.get(0).path();
    common = common.substring(0, common.lastIndexOf('/') + 1);
    for (File f : files) {
      while (!f.path().startsWith(common)) {
        common = common.substring(0, common.lastIndexOf('/', common.length() - 2) + 1);
      }
    }
    MessageDigest md = Hashing.sha256();
    for (int i = 0; i < files.size(); i++) {
      md.update((fileDigests.get(i) + " " + files.get(i).path().substring(common.length()) + "\n")
          .getBytes(StandardCharsets.UTF_8));
    }
    return Hashing.format(md.digest());
  }

  static PlumbException cannotRead(String name, IOException e) {
    return new InputException(Problem.of(name + ": cannot read: " + e.getMessage()), e);
  }
}
