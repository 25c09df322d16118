package dev.dspy4j.examples.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

/**
 * The imports a snippet gets without writing them: every public dspy4j type by its simple name
 * (single-type imports, so {@code Module} means dspy4j's and not {@code java.lang.Module}), and a
 * few JDK packages on demand.
 *
 * <p>The dspy4j types are found on the class path, so the list follows the API as it changes. Left
 * out, so that a snippet must import them itself: types of packages named {@code internal}, types
 * of the examples, simple names that two dspy4j packages share, and simple names that one of the
 * JDK packages below also has (there the JDK's type is meant).
 */
final class StandardImports {

    /** Imported on demand into every wrapped snippet. */
    static final List<String> JDK_PACKAGES = List.of("java.util", "java.util.function", "java.util.concurrent",
            "java.util.stream", "java.io", "java.nio.file", "java.time", "java.math", "java.net");

    private static final String ROOT = "dev/dspy4j/";
    private static final String NOT_SCANNED = "dev/dspy4j/examples/";

    private final Map<String, String> bySimpleName;
    private final Map<String, Set<String>> shared;

    private StandardImports(Map<String, String> bySimpleName, Map<String, Set<String>> shared) {
        this.bySimpleName = bySimpleName;
        this.shared = shared;
    }

    /** Scans the class path's dspy4j classes; {@code loader} must see them (it only loads, never initializes). */
    static StandardImports scan(List<Path> classpath, ClassLoader loader) {
        Set<String> names = new TreeSet<>();
        for (Path entry : classpath) {
            names.addAll(Files.isDirectory(entry) ? classesInDirectory(entry) : classesInJar(entry));
        }
        Map<String, Set<String>> bySimple = new TreeMap<>();
        for (String name : names) {
            if (isPublic(name, loader)) {
                bySimple.computeIfAbsent(name.substring(name.lastIndexOf('.') + 1), k -> new TreeSet<>()).add(name);
            }
        }
        Map<String, String> unique = new TreeMap<>();
        Map<String, Set<String>> shared = new TreeMap<>();
        bySimple.forEach((simple, qualified) -> {
            if (qualified.size() > 1) {
                shared.put(simple, qualified);
            } else if (!isInJdkPackage(simple)) {
                unique.put(simple, qualified.iterator().next());
            }
        });
        return new StandardImports(unique, shared);
    }

    /** The qualified names imported by simple name, keyed by simple name. */
    Map<String, String> types() {
        return bySimpleName;
    }

    /** Simple names that several dspy4j packages have, which a snippet must import itself. */
    Map<String, Set<String>> sharedNames() {
        return shared;
    }

    /**
     * The import declarations for one snippet, on one line. A dspy4j type is left out when the
     * snippet imports a type of that simple name or that type's package on demand (so the
     * snippet's own imports mean what they would mean in a user's file), or declares a type of
     * that name itself.
     */
    String declarationsFor(Collection<String> snippetImports, Set<String> declaredTypes) {
        Set<String> importedNames = new HashSet<>(declaredTypes);
        Set<String> importedPackages = new HashSet<>();
        for (String declaration : snippetImports) {
            String name = declaration.replaceFirst("^import\\s+", "").replaceFirst("\\s*;.*$", "").strip();
            if (name.startsWith("static ")) {
                continue;
            }
            if (name.endsWith(".*")) {
                importedPackages.add(name.substring(0, name.length() - 2));
            } else {
                importedNames.add(name.substring(name.lastIndexOf('.') + 1));
            }
        }
        StringBuilder line = new StringBuilder();
        bySimpleName.forEach((simple, qualified) -> {
            String pkg = qualified.substring(0, qualified.lastIndexOf('.'));
            if (!importedNames.contains(simple) && !importedPackages.contains(pkg)) {
                line.append("import ").append(qualified).append("; ");
            }
        });
        JDK_PACKAGES.forEach(pkg -> line.append("import ").append(pkg).append(".*; "));
        return line.toString().strip();
    }

    private static boolean isInJdkPackage(String simpleName) {
        for (String pkg : JDK_PACKAGES) {
            try {
                Class.forName(pkg + "." + simpleName, false, ClassLoader.getPlatformClassLoader());
                return true;
            } catch (ClassNotFoundException e) {
                // not in this package
            }
        }
        return false;
    }

    private static boolean isPublic(String name, ClassLoader loader) {
        try {
            return Modifier.isPublic(Class.forName(name, false, loader).getModifiers());
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static List<String> classesInDirectory(Path directory) {
        Path root = directory.resolve(ROOT);
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.map(path -> directory.relativize(path).toString().replace('\\', '/'))
                    .filter(StandardImports::isCandidate)
                    .map(StandardImports::className)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> classesInJar(Path jar) {
        if (!Files.isRegularFile(jar) || !jar.toString().endsWith(".jar")) {
            return List.of();
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            List<String> names = new ArrayList<>();
            file.stream().map(ZipEntry::getName).filter(StandardImports::isCandidate)
                    .map(StandardImports::className).forEach(names::add);
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar, e);
        }
    }

    private static boolean isCandidate(String path) {
        return path.startsWith(ROOT) && !path.startsWith(NOT_SCANNED) && path.endsWith(".class")
                && !path.contains("$") && !path.contains("/internal/")
                && !path.endsWith("package-info.class") && !path.endsWith("module-info.class");
    }

    private static String className(String path) {
        return path.substring(0, path.length() - ".class".length()).replace('/', '.');
    }
}
