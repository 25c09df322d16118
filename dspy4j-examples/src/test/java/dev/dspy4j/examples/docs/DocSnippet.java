package dev.dspy4j.examples.docs;

import java.util.List;
import java.util.Optional;

/**
 * One {@code ```java} block of a Markdown file.
 *
 * @param file the Markdown file, as shown in reports ({@code docs/optimizers.md})
 * @param fenceLine the 1-based line of the opening fence
 * @param lines the block's lines, without the fences
 * @param noCompileReason why the block is not meant to compile, when a {@code <!-- no-compile: why -->}
 *     comment stands on the line before it; empty text when the comment gives no reason
 */
record DocSnippet(String file, int fenceLine, List<String> lines, Optional<String> noCompileReason) {

    DocSnippet {
        lines = List.copyOf(lines);
    }

    /** Where the block starts, as {@code file:line}. */
    String location() {
        return file + ":" + fenceLine;
    }

    /** The 1-based Markdown line of the block's line {@code index} (0-based). */
    int markdownLine(int index) {
        return fenceLine + 1 + index;
    }
}
