package dev.plumb.units.synthetic;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The generator's CSV output: buffered UTF-8 writers (or none, in collect mode) and RFC 4180 quoting. */
final class CsvFiles {
  private CsvFiles() {}

  /** The day-partitioned tables' writers, one per day each; closes whichever were opened. */
  static final class DayWriters implements AutoCloseable {
    final Writer[] inter;
    final Writer[] comp;
    final Writer[] imp;

    DayWriters(int days) {
      inter = new Writer[days];
      comp = new Writer[days];
      imp = new Writer[days];
    }

    void open(Path dir, String[] days, boolean discard) throws IOException {
      for (int d = 0; d < days.length; d++) {
        inter[d] = writer(dir.resolve("interactions").resolve(days[d] + ".csv"), discard);
        inter[d].write("interaction_id,user_id,day,surface,platform,query_text,response_text\n");
        comp[d] = writer(dir.resolve("components").resolve(days[d] + ".csv"), discard);
        comp[d].write("interaction_id,position,pin_id\n");
        imp[d] = writer(dir.resolve("impressions").resolve(days[d] + ".csv"), discard);
        imp[d].write("interaction_id,day,impressions\n");
      }
    }

    @Override
    public void close() throws IOException {
      for (Writer[] ws : List.of(inter, comp, imp)) {
        for (Writer w : ws) {
          if (w != null) {
            w.close();
          }
        }
      }
    }
  }

  /** RFC 4180: always quoted, quotes doubled; null is an empty unquoted field. */
  static StringBuilder quote(StringBuilder sb, String s) {
    if (s == null) {
      return sb;
    }
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        sb.append('"');
      }
      sb.append(c);
    }
    return sb.append('"');
  }

  static Writer writer(Path path, boolean discard) throws IOException {
    return discard ? Writer.nullWriter() : writer(path);
  }

  private static Writer writer(Path path) throws IOException {
    return new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(path), StandardCharsets.UTF_8), 1 << 16);
  }
}
