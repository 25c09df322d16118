package dev.dspy4j.spark;

/** Masks the credentials of a Redis URL for messages. */
final class RedisUrls {

    private RedisUrls() {
    }

    /** {@code redis://user:secret@host:6379} as {@code redis://***@host:6379}. */
    static String mask(String url) {
        int scheme = url.indexOf("://");
        int at = url.lastIndexOf('@');
        if (scheme < 0 || at < scheme) {
            return url;
        }
        return url.substring(0, scheme + 3) + "***" + url.substring(at);
    }
}
