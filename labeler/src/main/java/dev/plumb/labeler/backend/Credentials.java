package dev.plumb.labeler.backend;

import dev.plumb.core.InputException;
import dev.plumb.core.Problem;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Where API keys come from: the provider's usual environment variable, else a properties file
 * ({@code $PLUMB_CONFIG}, default {@code ~/.config/plumb/credentials.properties}) with
 * {@code openai.api_key}, {@code anthropic.api_key} or {@code gemini.api_key}. Never from a
 * command-line flag (it would land in shell history), and never written anywhere.
 */
public final class Credentials {
  private final Map<String, String> env;
  private final Path configFile;

  private Credentials(Map<String, String> env, Path configFile) {
    this.env = Map.copyOf(env);
    this.configFile = configFile;
  }

  /** Keys from this process's environment and the default config file. */
  public static Credentials fromEnvironment() {
    Map<String, String> env = System.getenv();
    String config = env.get("PLUMB_CONFIG");
    Path file =
        config != null && !config.isBlank()
            ? Path.of(config)
            : Path.of(System.getProperty("user.home", "."), ".config", "plumb", "credentials.properties");
    return new Credentials(env, file);
  }

  /** Keys from the given variables and config file (which may not exist); for tests and embedding. */
  public static Credentials of(Map<String, String> env, Path configFile) {
    return new Credentials(env, configFile);
  }

  /** The environment variables consulted for a provider, in order. */
  public static List<String> variables(String provider) {
    return switch (provider) {
      case "openai" -> List.of("OPENAI_API_KEY");
      case "anthropic" -> List.of("ANTHROPIC_API_KEY");
      case "gemini" -> List.of("GEMINI_API_KEY", "GOOGLE_API_KEY");
      default -> throw new IllegalArgumentException("unknown provider: " + provider);
    };
  }

  /**
   * The key for {@code provider} ({@code openai}, {@code anthropic}, {@code gemini}), or
   * {@code null} when none is configured.
   */
  public Secret find(String provider) {
    for (String var : variables(provider)) {
      String v = env.get(var);
      if (v != null && !v.isBlank()) {
        return Secret.of(v.trim());
      }
    }
    if (configFile != null && Files.isRegularFile(configFile)) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
        p.load(r);
      } catch (IOException e) {
        throw new InputException(Problem.of(configFile + ": cannot read: " + e.getMessage()), e);
      }
      String v = p.getProperty(provider + ".api_key");
      if (v != null && !v.isBlank()) {
        return Secret.of(v.trim());
      }
    }
    return null;
  }

  /**
   * The key for {@code provider}.
   *
   * @throws InputException saying which variable or config entry to set
   */
  public Secret require(String provider) {
    Secret s = find(provider);
    if (s == null) {
      throw new InputException(
          "no API key for "
              + provider
              + ": set "
              + String.join(" or ", variables(provider))
              + " in the environment, or "
              + provider
              + ".api_key in "
              + (configFile == null ? "a credentials file ($PLUMB_CONFIG)" : configFile.toString()));
    }
    return s;
  }
}
