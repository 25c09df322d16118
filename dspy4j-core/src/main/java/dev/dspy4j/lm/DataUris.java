package dev.dspy4j.lm;

import java.util.Base64;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** {@code data:} URIs, as DSPy builds and reads them. */
final class DataUris {
    private DataUris() {}

    static String encode(byte[] data, String mediaType) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(mediaType, "mediaType");
        return "data:" + mediaType + ";base64," + Base64.getEncoder().encodeToString(data);
    }

    static boolean is(String uri) {
        return uri.regionMatches(true, 0, "data:", 0, 5) && uri.indexOf(',') > 0;
    }

    static String mediaType(String uri) {
        int end = uri.indexOf(';');
        int comma = uri.indexOf(',');
        if (end < 0 || end > comma) {
            end = comma;
        }
        return uri.substring(5, end);
    }

    static String data(String uri) {
        return uri.substring(uri.indexOf(',') + 1);
    }

    /** A short form for logs and errors: data URIs lose their payload. */
    static @Nullable String abbreviate(@Nullable String uri) {
        if (uri == null || !is(uri)) {
            return uri;
        }
        return "data:" + mediaType(uri) + ";base64,<" + data(uri).length() + " chars>";
    }
}
