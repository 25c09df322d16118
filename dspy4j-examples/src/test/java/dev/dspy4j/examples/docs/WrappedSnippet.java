package dev.dspy4j.examples.docs;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A snippet made into a Java source file, and the Markdown line each line of that file came from.
 *
 * <p>A snippet with a {@code package} declaration or a top-level {@code public} type is a whole
 * compilation unit and is compiled as written, with the standard imports added. Any other snippet
 * is a fragment: its leading imports stay imports, and the rest becomes the body of a method of a
 * class that extends {@link SnippetGivens}, so it may declare local records, enums and classes,
 * shadow the givens, and throw checked exceptions.
 *
 * @param snippet where it came from
 * @param packageName the package the wrapped source declares
 * @param fileName the source file's name ({@code Snippet.java}, or the public type's name)
 * @param source the Java source
 * @param markdownLines the Markdown line of each source line (index 0 is line 1)
 */
record WrappedSnippet(DocSnippet snippet, String packageName, String fileName, String source, List<Integer> markdownLines) {

    private static final Pattern IMPORT = Pattern.compile("^import\\s+[\\w.*\\s]+;\\s*(//.*)?$");
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;.*$");
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "^public\\s+(?:(?:final|abstract|sealed|non-sealed|strictfp)\\s+)*(?:class|interface|enum|record|@interface)\\s+(\\w+).*");
    private static final Pattern TYPE = Pattern.compile(
            "^(?:(?:public|final|abstract|sealed|non-sealed|strictfp)\\s+)*(?:class|interface|enum|record|@interface)\\s+(\\w+).*");

    WrappedSnippet {
        markdownLines = List.copyOf(markdownLines);
    }

    /** Wraps {@code snippet} into {@code packageName} (used when the snippet declares no package). */
    static WrappedSnippet wrap(DocSnippet snippet, String packageName, StandardImports imports) {
        List<String> lines = snippet.lines();
        int header = headerLength(lines);
        List<String> importLines = new ArrayList<>();
        String declaredPackage = null;
        for (String line : lines.subList(0, header)) {
            Matcher pkg = PACKAGE.matcher(line.strip());
            if (pkg.matches()) {
                declaredPackage = pkg.group(1);
            } else if (IMPORT.matcher(line.strip()).matches()) {
                importLines.add(line.strip());
            }
        }
        List<String> body = lines.subList(header, lines.size());
        String publicType = body.stream().map(PUBLIC_TYPE::matcher).filter(Matcher::matches)
                .map(m -> m.group(1)).findFirst().orElse(null);
        boolean wholeUnit = declaredPackage != null || publicType != null;

        Set<String> declaredTypes = new LinkedHashSet<>();
        if (wholeUnit) {
            body.stream().map(TYPE::matcher).filter(Matcher::matches).forEach(m -> declaredTypes.add(m.group(1)));
        }
        String standard = imports.declarationsFor(importLines, declaredTypes);

        Source out = new Source(snippet);
        if (declaredPackage == null) {
            out.add("package " + packageName + ";", -1);
        }
        for (int i = 0; i < header; i++) {
            out.add(lines.get(i), i);
        }
        out.add(standard, -1);
        if (wholeUnit) {
            addAll(out, lines, header);
        } else {
            out.add("@SuppressWarnings(\"all\") public class Snippet extends " + SnippetGivens.class.getName()
                    + " { public void run() throws Exception {", -1);
            addAll(out, lines, header);
            out.add("}}", -1);
        }
        String pkg = declaredPackage == null ? packageName : declaredPackage;
        String file = (publicType == null ? "Snippet" : publicType) + ".java";
        return new WrappedSnippet(snippet, pkg, file, out.text.toString(), out.markdownLines);
    }

    /** The Markdown line for a 1-based line of the source; the fence's line for lines the wrapper added. */
    int markdownLine(long sourceLine) {
        if (sourceLine < 1 || sourceLine > markdownLines.size()) {
            return snippet.fenceLine();
        }
        return markdownLines.get((int) sourceLine - 1);
    }

    /** The snippet's own text at a 1-based source line, or empty for lines the wrapper added. */
    String snippetText(long sourceLine) {
        int markdown = markdownLine(sourceLine);
        int index = markdown - snippet.fenceLine() - 1;
        return index >= 0 && index < snippet.lines().size() ? snippet.lines().get(index) : "";
    }

    /** Leading lines that are package and import declarations, blank lines or comments: up to the last declaration. */
    private static int headerLength(List<String> lines) {
        int end = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (IMPORT.matcher(line).matches() || PACKAGE.matcher(line).matches()) {
                end = i + 1;
            } else if (!line.isEmpty() && !line.startsWith("//")) {
                break;
            }
        }
        return end;
    }

    private static void addAll(Source out, List<String> lines, int from) {
        for (int i = from; i < lines.size(); i++) {
            out.add(lines.get(i), i);
        }
    }

    private static final class Source {
        final DocSnippet snippet;
        final StringBuilder text = new StringBuilder();
        final List<Integer> markdownLines = new ArrayList<>();

        Source(DocSnippet snippet) {
            this.snippet = snippet;
        }

        /** Adds a line taken from the snippet's line {@code index}, or added by the wrapper when -1. */
        void add(String line, int index) {
            text.append(line).append('\n');
            markdownLines.add(index < 0 ? snippet.fenceLine() : snippet.markdownLine(index));
        }
    }
}
