package dev.dspy4j.retrieval.lucene;

import dev.dspy4j.retrieve.RetrievalException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.lucene.store.AlreadyClosedException;

/** The failures of a {@link LuceneIndex}, each naming the index's path and what to do. */
final class IndexErrors {

    private IndexErrors() {
    }

    static RetrievalException locked(Path path, Throwable cause) {
        return new RetrievalException("The Lucene index at " + path.toAbsolutePath() + " is open elsewhere "
                + "(in this JVM or another process holds its write lock); close that one first.", false, cause);
    }

    static RetrievalException missing(Path path) {
        return new RetrievalException("No Lucene index at " + path.toAbsolutePath() + ": "
                + (Files.isDirectory(path) ? "the directory holds no index" : "there is no such directory")
                + ". Check the path, or build the index with LuceneIndex.builder(path).create() and addAll(...).",
                false, null);
    }

    static RetrievalException damaged(Path path, Throwable cause) {
        return new RetrievalException("The Lucene index at " + path.toAbsolutePath() + " is damaged or unreadable ("
                + cause + "). Rebuild it from its source passages (delete the directory, then create and addAll), "
                + "or restore a copy; Lucene's CheckIndex tool names the damaged segment.", false, cause);
    }

    static RetrievalException readFailed(Path path, Throwable cause) {
        if (cause instanceof AlreadyClosedException) {
            return new RetrievalException("The Lucene index at " + path + " is closed; open it again with "
                    + "LuceneIndex.builder(path).open().", false, cause);
        }
        return damaged(path, cause);
    }

    static RetrievalException writeFailed(Path path, Throwable cause) {
        if (cause instanceof AlreadyClosedException) {
            return readFailed(path, cause);
        }
        return new RetrievalException("Cannot write the Lucene index at " + path.toAbsolutePath() + " (" + cause
                + "); check the disk's space and permissions.", false, cause);
    }
}
