import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;

/**
 * What Maven Central requires of each published module, checked before anything is signed off:
 * run by the release profile (supaneon-maven-plugin, phase verify, the reactor's last module) as
 * {@code java ReleaseBundleCheck.java <root> <version> <signingSkipped>}. Prints what it checked; exits 1
 * with the list of what is missing.
 */
public final class ReleaseBundleCheck {

  static final List<String> MODULES =
      List.of(
          "supaneon-neon-local",
          "supaneon-core",
          "supaneon-junit",
          "supaneon-lambda",
          "supaneon-maven-plugin");

  public static void main(String[] args) throws IOException {
    Path root = Path.of(args[0]);
    String version = args[1];
    boolean signed = !Boolean.parseBoolean(args[2]);
    List<String> missing = new ArrayList<>();
    int checked = 0;

    String parent = Files.readString(root.resolve("pom.xml"), StandardCharsets.UTF_8);
    for (String element :
        List.of(
            "<name>", "<description>", "<url>", "<licenses>", "<scm>", "<developers>",
            "<connection>", "<developerConnection>")) {
      checked++;
      if (!parent.contains(element)) {
        missing.add("pom.xml: " + element);
      }
    }
    for (String module : MODULES) {
      Path directory = root.resolve(module);
      String pom = Files.readString(directory.resolve("pom.xml"), StandardCharsets.UTF_8);
      for (String element : List.of("<name>", "<description>")) {
        checked++;
        if (!pom.contains(element)) {
          missing.add(module + "/pom.xml: " + element);
        }
      }
      Path target = directory.resolve("target");
      String base = module + "-" + version;
      checked += 3;
      Path jar = target.resolve(base + ".jar");
      Path sources = target.resolve(base + "-sources.jar");
      Path javadoc = target.resolve(base + "-javadoc.jar");
      requireEntry(jar, ".class", missing);
      requireEntry(sources, ".java", missing);
      requireEntry(javadoc, "index.html", missing);
      if (signed && !module.equals("supaneon-maven-plugin")) {
        for (Path file : List.of(jar, sources, javadoc)) {
          checked++;
          if (!Files.isRegularFile(Path.of(file + ".asc"))) {
            missing.add(root.relativize(file) + ".asc (signature)");
          }
        }
      }
    }
    if (!missing.isEmpty()) {
      System.err.println("Release bundle incomplete, " + missing.size() + " missing:");
      missing.forEach(m -> System.err.println("  " + m));
      System.exit(1);
    }
    System.out.println(
        "Release bundle check: "
            + checked
            + " requirements met for "
            + MODULES.size()
            + " modules and the parent POM"
            + (signed ? ", signatures included" : " (signing skipped)"));
  }

  private static void requireEntry(Path jar, String suffix, List<String> missing)
      throws IOException {
    if (!Files.isRegularFile(jar)) {
      missing.add(jar + " (not built)");
      return;
    }
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      if (zip.stream().noneMatch(e -> e.getName().endsWith(suffix))) {
        missing.add(jar.getFileName() + " has no " + suffix + " entry");
      }
    }
  }
}
