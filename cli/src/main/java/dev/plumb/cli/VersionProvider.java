package dev.plumb.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code plumb --version}: the release version and the git commit the jar was built from. */
final class VersionProvider implements IVersionProvider {

  @Override
  public String[] getVersion() {
    return new String[] {"plumb " + version() + " (commit " + commit() + ")"};
  }

  static String version() {
    String v = VersionProvider.class.getPackage().getImplementationVersion();
    return v != null ? v : git().getProperty("git.build.version", "dev");
  }

  static String commit() {
    Properties git = git();
    String id = git.getProperty("git.commit.id.abbrev", "unknown");
    return "true".equals(git.getProperty("git.dirty")) ? id + "-dirty" : id;
  }

  private static Properties git() {
    Properties p = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream("/plumb-git.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // no build information: report "unknown"
    }
    return p;
  }

  /** "plumb VERSION (commit ABBREV)": recorded in every output as the tool that made it. */
  static String createdBy() {
    return "plumb " + version() + " (commit " + commit() + ")";
  }
}
