package io.pagevfs.nio;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;

/**
 * {@code pagevfs://NAME/path} URIs, made and read as the JDK's UnixUriUtils makes and reads {@code
 * file:} URIs: every byte of the UTF-8 path outside RFC 2396's path characters is percent-encoded
 * (upper-case hex), so the URI is plain ASCII; a URI with a query or fragment, an opaque one or one
 * without an absolute path is refused with IllegalArgumentException.
 */
final class Uris {
    private Uris() {}

    /** RFC 2396 path characters that stand for themselves: unreserved, pchar's extras, ";" "/". */
    private static final String PATH_CHARS =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.!~*'():@&=+$,;/";

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    static URI toUri(String fsName, String absolutePath) {
        StringBuilder sb = new StringBuilder(PageVfsFileSystemProvider.SCHEME).append("://");
        sb.append(fsName);
        for (byte b : absolutePath.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && PATH_CHARS.indexOf(c) >= 0) {
                sb.append(c);
            } else {
                sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        try {
            return new URI(sb.toString());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot make a URI of " + absolutePath, e);
        }
    }

    /** The absolute path a URI names (its filesystem name is checked by the provider). */
    static String pathOf(URI uri) {
        if (uri.isOpaque()) {
            throw new IllegalArgumentException("URI is not hierarchical: " + uri);
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("URI has a fragment component: " + uri);
        }
        if (uri.getRawQuery() != null) {
            throw new IllegalArgumentException("URI has a query component: " + uri);
        }
        String path = uri.getPath();
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("URI path must be absolute: " + uri);
        }
        return path;
    }
}
