package dev.plumb.labeler.prompt;

import com.github.mustachejava.Binding;
import com.github.mustachejava.Code;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.TemplateContext;
import com.github.mustachejava.reflect.SimpleObjectHandler;
import com.github.mustachejava.util.Wrapper;
import dev.plumb.core.InputException;
import dev.plumb.core.Problem;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The prompt templates of one directory, and the one place plumb configures Mustache:
 *
 * <ul>
 *   <li>no HTML escaping: a value is written exactly as it is ({@code <}, {@code &}, quotes);
 *   <li>a name that is not in the context is an {@link InputException} naming the template file, the
 *       line and the variable, never an empty string;
 *   <li>values are never parsed as templates: a {@code {{...}}} inside a value stays text.
 * </ul>
 *
 * <p>Contexts are maps, lists, strings, numbers and booleans only; a {@code null} value counts as
 * missing. Sources are read once (UTF-8, byte-order mark dropped, CRLF turned into LF so a checkout
 * on Windows gives the same prompt and fingerprint). Compiled templates are immutable and may be
 * executed from several threads.
 */
final class Templates {
  static final String EXTENSION = ".mustache";

  private final Path dir;
  private final SortedMap<String, String> sources;

  private Templates(Path dir, SortedMap<String, String> sources) {
    this.dir = dir;
    this.sources = Collections.unmodifiableSortedMap(sources);
  }

  /** Reads every {@code *.mustache} file directly in {@code dir}. */
  static Templates load(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new InputException(Problem.of(dir + ": prompt template directory not found"));
    }
    SortedMap<String, String> sources = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files.sorted()::iterator) {
        String name = file.getFileName().toString();
        if (name.endsWith(EXTENSION) && Files.isRegularFile(file)) {
          sources.put(name, read(file));
        }
      }
    } catch (IOException e) {
      throw new InputException(Problem.of(dir + ": cannot read: " + e.getMessage()), e);
    }
    return new Templates(dir, sources);
  }

  /** Templates held in memory, e.g. in tests; {@code dir} only names them in messages. */
  static Templates of(Path dir, Map<String, String> sources) {
    SortedMap<String, String> normalized = new TreeMap<>();
    sources.forEach((name, text) -> normalized.put(name, normalize(text)));
    return new Templates(dir, normalized);
  }

  /** Template file name → normalized text, sorted by name. */
  SortedMap<String, String> sources() {
    return sources;
  }

  Path dir() {
    return dir;
  }

  /** Compiles {@code name} and the partials it includes. */
  Mustache compile(String name) {
    if (!sources.containsKey(name)) {
      throw new InputException(Problem.of(dir.resolve(name) + ": template not found"));
    }
    StrictFactory factory = new StrictFactory(this);
    try {
      return factory.compile(name);
    } catch (MustacheException e) {
      throw translate(e);
    }
  }

  /** Runs a compiled template; names are looked up in the last scope first. */
  String render(Mustache template, Object... scopes) {
    StringWriter out = new StringWriter();
    try {
      template.execute(out, new ArrayList<>(List.of(scopes))).flush();
    } catch (MustacheException e) {
      throw translate(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static String read(Path file) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(bytes))
              .toString();
      return normalize(text);
    } catch (CharacterCodingException e) {
      throw new InputException(Problem.of(file + ": invalid UTF-8"), e);
    } catch (NoSuchFileException e) {
      throw new InputException(Problem.of(file + ": file not found"), e);
    } catch (IOException e) {
      throw new InputException(Problem.of(file + ": cannot read: " + e.getMessage()), e);
    }
  }

  private static String normalize(String text) {
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    return text.replace("\r\n", "\n");
  }

  private static final Pattern LOCATION = Pattern.compile("\\s*@\\[([^:\\]]+):(\\d+)\\]\\s*$");

  /** Turns a Mustache failure into one located line, e.g. {@code prompts/user.mustache:7: ...}. */
  private InputException translate(MustacheException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof MissingVariable missing) {
        return new InputException(
            Problem.at(dir.resolve(missing.file).toString(), missing.line, "", missing.describe()));
      }
    }
    // Syntax errors and missing partials: mustache.java puts "@[file:line]" at the end of the message.
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    Matcher m = LOCATION.matcher(message);
    String file = "";
    int line = 0;
    if (e.getContext() != null) {
      file = e.getContext().file();
      line = e.getContext().line();
    }
    if (m.find()) {
      file = m.group(1);
      line = Integer.parseInt(m.group(2));
      message = message.substring(0, m.start());
    }
    Matcher notFound = Pattern.compile("^Template (\\S+) not found$").matcher(message);
    if (notFound.find()) {
      String partial = notFound.group(1).replaceAll("\\.mustache$", "");
      message = "partial \"" + partial + "\" not found (" + dir.resolve(notFound.group(1)) + ")";
      // mustache.java does not say where the partial was included: find the tag ourselves.
      Pattern tag = Pattern.compile("\\{\\{>\\s*" + Pattern.quote(partial) + "\\s*}}");
      for (Map.Entry<String, String> source : sources.entrySet()) {
        Matcher at = tag.matcher(source.getValue());
        if (at.find()) {
          file = source.getKey();
          line = 1 + (int) source.getValue().substring(0, at.start()).chars().filter(c -> c == '\n').count();
          break;
        }
      }
    }
    String source = file.isEmpty() ? dir.toString() : dir.resolve(file).toString();
    return new InputException(Problem.at(source, line, "", "template error: " + message.strip()));
  }

  /** Mustache with no escaping, strict names, and templates from memory. */
  private static final class StrictFactory extends DefaultMustacheFactory {
    StrictFactory(Templates templates) {
      super(name -> {
        String text = templates.sources.get(name);
        return text == null ? null : new StringReader(text);
      });
      setObjectHandler(new StrictObjectHandler());
    }

    @Override
    public void encode(String value, Writer writer) {
      try {
        writer.write(value);
      } catch (IOException e) {
        throw new MustacheException("cannot write", e);
      }
    }
  }

  /**
   * Looks names up in map scopes only, innermost first; {@code a.b} walks into maps. A name found
   * nowhere (or bound to {@code null}) fails with the template and line it appears on.
   */
  private static final class StrictObjectHandler extends SimpleObjectHandler {
    @Override
    public Binding createBinding(String name, TemplateContext tc, Code code) {
      return scopes -> lookup(name, tc, scopes);
    }

    @Override
    public Wrapper find(String name, List<Object> scopes) {
      return s -> lookup(name, null, s);
    }

    private static Object lookup(String name, TemplateContext tc, List<Object> scopes) {
      String[] path = name.split("\\.", -1);
      for (int i = scopes.size() - 1; i >= 0; i--) {
        if (scopes.get(i) instanceof Map<?, ?> map && map.containsKey(path[0])) {
          Object value = map.get(path[0]);
          for (int k = 1; k < path.length && value != null; k++) {
            value = value instanceof Map<?, ?> inner && inner.containsKey(path[k]) ? inner.get(path[k]) : null;
          }
          if (value != null) {
            return value;
          }
          break;
        }
      }
      throw new MissingVariable(name, tc, scopes);
    }
  }

  /** A name the context does not define. */
  private static final class MissingVariable extends MustacheException {
    private static final long serialVersionUID = 1L;
    final String name;
    final String file;
    final int line;
    final List<String> known;

    MissingVariable(String name, TemplateContext tc, List<Object> scopes) {
      super("template variable \"" + name + "\" is not defined", tc);
      this.name = name;
      this.file = tc == null ? "" : tc.file();
      this.line = tc == null ? 0 : tc.line();
      TreeSet<String> names = new TreeSet<>();
      for (Object scope : scopes) {
        if (scope instanceof Map<?, ?> map) {
          map.keySet().forEach(k -> names.add(String.valueOf(k)));
        }
      }
      this.known = new ArrayList<>(names);
    }

    String describe() {
      return "template variable \"" + name + "\" is not defined; defined here: " + String.join(", ", known);
    }
  }
}
