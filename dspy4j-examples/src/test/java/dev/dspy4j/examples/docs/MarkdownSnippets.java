package dev.dspy4j.examples.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Finds the {@code ```java} blocks of the README and the Markdown files under {@code docs/}. */
final class MarkdownSnippets {

    /** An opening fence (CommonMark: at most three spaces of indentation) and its info string. */
    private static final Pattern FENCE = Pattern.compile("^( {0,3})(`{3,}|~{3,})\\s*(.*)$");
    private static final Pattern NO_COMPILE = Pattern.compile("^\\s*<!--\\s*no-compile\\s*:?(.*?)-->\\s*$");

    private MarkdownSnippets() {}

    /**
     * The Java blocks of {@code README.md} and of every {@code .md} file under {@code docs/}, in
     * file order.
     *
     * @throws IllegalArgumentException if {@code root} has no README.md
     */
    static List<DocSnippet> findAll(Path root) {
        if (!Files.isRegularFile(root.resolve("README.md"))) {
            throw new IllegalArgumentException("no README.md in " + root.toAbsolutePath()
                    + "; set -Ddspy4j.docs to the checkout's root directory");
        }
        List<Path> files = new ArrayList<>(List.of(root.resolve("README.md")));
        Path docs = root.resolve("docs");
        if (Files.isDirectory(docs)) {
            try (Stream<Path> walk = Files.walk(docs)) {
                walk.filter(path -> path.toString().endsWith(".md")).sorted().forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        List<DocSnippet> snippets = new ArrayList<>();
        for (Path file : files) {
            String name = root.relativize(file).toString().replace('\\', '/');
            try {
                snippets.addAll(extract(name, Files.readString(file, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return snippets;
    }

    /**
     * The Java blocks of one Markdown text: fenced blocks whose info string starts with the word
     * {@code java}.
     *
     * @throws IllegalArgumentException if a Java block is never closed
     */
    static List<DocSnippet> extract(String file, String markdown) {
        List<String> lines = markdown.lines().toList();
        List<DocSnippet> snippets = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            Matcher open = FENCE.matcher(lines.get(i));
            if (!open.matches()) {
                i++;
                continue;
            }
            int indent = open.group(1).length();
            String fence = open.group(2);
            boolean java = open.group(3).split("\\s+")[0].equals("java");
            int close = closingFence(lines, i + 1, fence);
            if (close < 0 && java) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": this ```java block is never closed");
            }
            int end = close < 0 ? lines.size() : close;
            if (java) {
                List<String> body = lines.subList(i + 1, end).stream().map(line -> unindent(line, indent)).toList();
                snippets.add(new DocSnippet(file, i + 1, body, noCompileReason(lines, i)));
            }
            i = end + 1;
        }
        return snippets;
    }

    private static int closingFence(List<String> lines, int from, String fence) {
        Pattern closing = Pattern.compile("^ {0,3}" + Pattern.quote(fence.substring(0, 1)) + "{" + fence.length() + ",}\\s*$");
        for (int j = from; j < lines.size(); j++) {
            if (closing.matcher(lines.get(j)).matches()) {
                return j;
            }
        }
        return -1;
    }

    private static Optional<String> noCompileReason(List<String> lines, int fenceIndex) {
        if (fenceIndex == 0) {
            return Optional.empty();
        }
        Matcher comment = NO_COMPILE.matcher(lines.get(fenceIndex - 1));
        return comment.matches() ? Optional.of(comment.group(1).strip()) : Optional.empty();
    }

    private static String unindent(String line, int indent) {
        int strip = 0;
        while (strip < indent && strip < line.length() && line.charAt(strip) == ' ') {
            strip++;
        }
        return line.substring(strip);
    }
}
