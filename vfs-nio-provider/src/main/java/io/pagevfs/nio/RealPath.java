package io.pagevfs.nio;

import io.pagevfs.core.VfsException;
import java.nio.file.Path;

/**
 * toRealPath(NOFOLLOW_LINKS) as the JDK's UnixPath does it: "." dropped, ".." dropped when what
 * precedes is not a link.
 */
final class RealPath {
    private RealPath() {}

    static Path withoutFollowing(PageVfsPath p) throws VfsException {
        PageVfsFileSystem fs = p.getFileSystem();
        Path abs = p.toAbsolutePath();
        Path result = fs.getPath("/");
        for (Path element : abs) {
            String name = element.toString();
            if (name.equals(".")) {
                continue;
            }
            if (name.equals("..") && !fs.process().lstat(result.toString()).isSymlink()) {
                Path parent = result.getParent();
                result = parent == null ? fs.getPath("/") : parent;
                continue;
            }
            result = result.resolve(element);
        }
        fs.process().lstat(result.toString());
        return result;
    }
}
