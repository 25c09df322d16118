package dev.dspy4j.cache;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The framing of one disk cache file, which lets a reader prove an entry is whole before using
 * it:
 *
 * <pre>
 * magic "D4JC" (4 bytes) | format version (2) | key length K (4) | key, UTF-8 (K)
 *   | payload length P (4) | payload: {@link LmResponseCodec} bytes (P) | CRC32C of all before (4)
 * </pre>
 *
 * All integers are big-endian. A file whose length is not exactly the framed length, whose
 * magic, version or checksum differ, is torn or corrupt.
 */
final class DiskEntry {

    static final int VERSION = 1;
    static final int MAX_KEY_BYTES = 64 * 1024;
    static final int MAX_PAYLOAD_BYTES = 256 * 1024 * 1024;
    private static final byte[] MAGIC = {'D', '4', 'J', 'C'};
    private static final int OVERHEAD = MAGIC.length + 2 + 4 + 4 + 4;

    private DiskEntry() {
    }

    static byte[] frame(String key, byte[] payload) {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        if (keyBytes.length > MAX_KEY_BYTES || payload.length > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("cache entry too large: key " + keyBytes.length
                    + " bytes, payload " + payload.length + " bytes");
        }
        ByteBuffer out = ByteBuffer.allocate(OVERHEAD + keyBytes.length + payload.length);
        out.put(MAGIC).putShort((short) VERSION);
        out.putInt(keyBytes.length).put(keyBytes);
        out.putInt(payload.length).put(payload);
        CRC32C crc = new CRC32C();
        crc.update(out.array(), 0, out.position());
        out.putInt((int) crc.getValue());
        return out.array();
    }

    /** The largest file a valid entry can be; larger files are corrupt without reading them. */
    static long maxFileSize() {
        return (long) OVERHEAD + MAX_KEY_BYTES + MAX_PAYLOAD_BYTES;
    }

    /**
     * The payload of a framed entry.
     *
     * @throws CacheFormatException if the bytes are torn, corrupt or of another version
     */
    static Unframed unframe(byte[] file) {
        if (file.length < OVERHEAD) {
            throw new CacheFormatException("entry is " + file.length + " bytes, shorter than its header", null);
        }
        ByteBuffer in = ByteBuffer.wrap(file);
        byte[] magic = new byte[MAGIC.length];
        in.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new CacheFormatException("entry does not start with the dspy4j cache magic", null);
        }
        int version = in.getShort();
        if (version != VERSION) {
            throw new CacheFormatException("entry has format version " + version + ", expected " + VERSION, null);
        }
        int keyLength = in.getInt();
        if (keyLength < 0 || keyLength > MAX_KEY_BYTES || keyLength > in.remaining() - 8) {
            throw new CacheFormatException("entry has an impossible key length " + keyLength, null);
        }
        String key = new String(file, in.position(), keyLength, StandardCharsets.UTF_8);
        in.position(in.position() + keyLength);
        int payloadLength = in.getInt();
        if (payloadLength < 0 || payloadLength != in.remaining() - 4) {
            throw new CacheFormatException("entry is torn: payload length " + payloadLength + " but "
                    + (in.remaining() - 4) + " bytes follow", null);
        }
        int payloadStart = in.position();
        CRC32C crc = new CRC32C();
        crc.update(file, 0, payloadStart + payloadLength);
        int stored = ByteBuffer.wrap(file, payloadStart + payloadLength, 4).getInt();
        if (stored != (int) crc.getValue()) {
            throw new CacheFormatException("entry checksum mismatch", null);
        }
        return new Unframed(key, Arrays.copyOfRange(file, payloadStart, payloadStart + payloadLength));
    }

    record Unframed(String key, byte[] payload) {
    }
}
