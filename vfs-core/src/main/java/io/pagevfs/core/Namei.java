package io.pagevfs.core;

import java.nio.charset.StandardCharsets;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Resolution of one path for one call, as Linux's {@code nameidata}: the walk's current (mount,
 * directory), the final component, and the count of symbolic links followed. The caller holds the
 * Vfs tree lock (read or write) for the whole call.
 *
 * <p>Rules (Linux {@code link_path_walk}, {@code walk_component}, {@code follow_dotdot}): search
 * permission is checked on every directory before a name is looked up in it, including the parent
 * of the final component; an intermediate component that is missing is ENOENT and one that is not a
 * directory ENOTDIR; symbolic links are followed, at most {@value #MAX_SYMLINKS} in one call
 * (ELOOP), absolute targets restarting at the process root; ".." never climbs above the process
 * root and crosses mounts upwards; stepping onto a mount point enters the topmost mount on it; a
 * name is at most {@value #NAME_MAX} bytes and a path less than {@value #PATH_MAX} bytes
 * (ENAMETOOLONG); a trailing slash demands a directory and forces the final symbolic link to be
 * followed.
 */
final class Namei {
    static final int LAST_NORM = 0;
    static final int LAST_ROOT = 1;
    static final int LAST_DOT = 2;
    static final int LAST_DOTDOT = 3;

    static final int MAX_SYMLINKS = 40;
    static final int NAME_MAX = 255;
    static final int PATH_MAX = 4096;

    final String op;
    final String path;
    private final Credentials cred;
    private final Mount rootMount;
    private final Directory rootDir;
    private int links;

    /** Where the walk stands: after {@link #walkParent()}, the directory holding the last name. */
    Mount mount;

    Directory dir;

    /**
     * The final component: its type, and for LAST_NORM its text {@code lastPath[lastStart,
     * lastEnd)}.
     */
    int lastType;

    private String lastPath;
    private int lastStart;
    private int lastEnd;
    private int lastHash;

    /** The final component was followed by a slash (in the path or a followed link's target). */
    boolean trailingSlash;

    /** Set by open when it created the final component (so may_open skips permission checks). */
    boolean created;

    Namei(
            String op,
            String path,
            Credentials cred,
            Mount rootMount,
            Directory rootDir,
            Mount startMount,
            Directory startDir) {
        this.op = op;
        this.path = path;
        this.cred = cred;
        this.rootMount = rootMount;
        this.rootDir = rootDir;
        this.mount = startMount;
        this.dir = startDir;
        this.lastPath = path;
    }

    VfsException error(Errno e) {
        return new VfsException(e, op, path);
    }

    /** Linux's {@code getname}: a path is non-empty, NUL-free and shorter than PATH_MAX bytes. */
    static void checkPath(String op, String path) throws VfsException {
        if (path.isEmpty()) {
            throw new VfsException(Errno.ENOENT, op, path);
        }
        if (path.length() * 3 >= PATH_MAX && utf8Length(path, 0, path.length()) >= PATH_MAX) {
            throw new VfsException(Errno.ENAMETOOLONG, op, abbreviate(path));
        }
        if (path.indexOf('\0') >= 0) {
            throw new VfsException(Errno.EINVAL, op, path.replace("\0", "\\0"));
        }
    }

    private static String abbreviate(String path) {
        return path.length() <= 64 ? path : path.substring(0, 60) + "...";
    }

    static int utf8Length(String s, int start, int end) {
        if (end - start < 64) {
            boolean ascii = true;
            for (int i = start; i < end && ascii; i++) {
                ascii = s.charAt(i) < 0x80;
            }
            if (ascii) {
                return end - start;
            }
        }
        return s.substring(start, end).getBytes(StandardCharsets.UTF_8).length;
    }

    /** The final component's name (LAST_NORM only). */
    String lastName() {
        return lastPath.substring(lastStart, lastEnd);
    }

    /** Walks {@link #path} up to its final component. */
    Namei walkParent() throws VfsException {
        walk(path);
        return this;
    }

    /**
     * Walks {@code p} from the current position (or the root, if absolute) up to its last
     * component, following symbolic links met on the way.
     */
    private void walk(String p) throws VfsException {
        int n = p.length();
        int i = 0;
        if (p.charAt(0) == '/') {
            mount = rootMount;
            dir = rootDir;
            while (i < n && p.charAt(i) == '/') {
                i++;
            }
        }
        if (i == n) {
            lastType = LAST_ROOT;
            trailingSlash = false;
            return;
        }
        while (true) {
            mayLookup();
            int start = i;
            int hash = 0; // DirTable.hash of the component, computed in the same pass
            for (char c; i < n && (c = p.charAt(i)) != '/'; i++) {
                hash = 31 * hash + c;
            }
            int end = i;
            while (i < n && p.charAt(i) == '/') {
                i++;
            }
            int type = dotType(p, start, end);
            if (i == n) {
                lastType = type;
                lastPath = p;
                lastStart = start;
                lastEnd = end;
                lastHash = hash;
                trailingSlash = end < n;
                return;
            }
            if (type == LAST_DOTDOT) {
                dotdot();
            } else if (type == LAST_NORM) {
                Inode child = lookup(dir, p, start, end, hash);
                if (child == null) {
                    throw error(Errno.ENOENT);
                }
                if (child instanceof Symlink link) {
                    String rest = p.substring(i);
                    followLink(link);
                    walk(link.target + "/" + rest);
                    return;
                }
                enter(child);
            }
        }
    }

    /** Steps into {@code child}, crossing mounts; it must be a directory. */
    private void enter(Inode child) throws VfsException {
        Inode target = crossMounts(child);
        if (!(target instanceof Directory d)) {
            throw error(Errno.ENOTDIR);
        }
        dir = d;
    }

    private void followLink(Symlink link) throws VfsException {
        if (++links > MAX_SYMLINKS) {
            throw error(Errno.ELOOP);
        }
    }

    private void mayLookup() throws VfsException {
        if (!Access.permitted(cred, dir, Access.MAY_EXEC)) {
            throw error(Errno.EACCES);
        }
    }

    private static int dotType(String p, int start, int end) {
        int len = end - start;
        if (len == 1 && p.charAt(start) == '.') {
            return LAST_DOT;
        }
        if (len == 2 && p.charAt(start) == '.' && p.charAt(start + 1) == '.') {
            return LAST_DOTDOT;
        }
        return LAST_NORM;
    }

    @Nullable
    private Inode lookup(Directory d, String p, int start, int end, int hash) throws VfsException {
        if (end - start > NAME_MAX / 3 && utf8Length(p, start, end) > NAME_MAX) {
            throw error(Errno.ENAMETOOLONG);
        }
        if (d.dead) {
            return null;
        }
        return d.entries.get(p, start, end, hash);
    }

    /** Whether the walk stands at the process root. */
    private boolean atRoot() {
        return mount == rootMount && dir == rootDir;
    }

    /** "..": stays at the process root, climbs out of mounts, then goes to the parent. */
    private void dotdot() {
        if (atRoot()) {
            return;
        }
        while (dir == mount.root) {
            if (mount.parent == null) {
                return;
            }
            dir = mount.mountpoint;
            mount = mount.parent;
            if (atRoot()) {
                return;
            }
        }
        Inode up = crossMounts(dir.parent);
        dir = (Directory) up;
    }

    /** Enters the topmost mount stacked on {@code inode} in the current mount, if any. */
    private Inode crossMounts(Inode inode) {
        while (inode instanceof Directory d && d.mountCount > 0) {
            Mount child = mount.childAt(d);
            if (child == null) {
                break;
            }
            mount = child;
            inode = child.root;
        }
        return inode;
    }

    /**
     * Resolves the final component in the directory {@link #walkParent()} reached. Returns null if
     * it does not exist. With {@code follow} (or a trailing slash) a final symbolic link is
     * followed. Afterwards {@link #mount} is the mount of the result, and {@link #dir} the
     * directory that held the name.
     */
    @Nullable Inode lookupLast(boolean follow) throws VfsException {
        boolean mustBeDir = false;
        while (true) {
            mustBeDir |= trailingSlash;
            Inode found;
            switch (lastType) {
                case LAST_ROOT:
                case LAST_DOT:
                    found = dir;
                    break;
                case LAST_DOTDOT:
                    dotdot();
                    found = dir;
                    break;
                default:
                    found = lookup(dir, lastPath, lastStart, lastEnd, lastHash);
                    if (found == null) {
                        return null;
                    }
                    if (found instanceof Symlink link && (follow || mustBeDir)) {
                        followLink(link);
                        walk(link.target);
                        continue;
                    }
                    found = crossMounts(found);
            }
            if (mustBeDir && !found.isDirectory()) {
                throw error(Errno.ENOTDIR);
            }
            return found;
        }
    }

    /**
     * Follows the final symbolic link {@code link} as a new final component (open with O_CREAT).
     */
    void followFinalLink(Symlink link) throws VfsException {
        followLink(link);
        walk(link.target);
    }

    /** {@link #lookupLast} that fails ENOENT for a missing file. */
    Inode lookupExisting(boolean follow) throws VfsException {
        Inode found = lookupLast(follow);
        if (found == null) {
            throw error(Errno.ENOENT);
        }
        return found;
    }

    /**
     * The entry the final component names in its directory, without following a symbolic link or
     * entering a mount (what unlink, rmdir and rename act on). LAST_NORM only.
     */
    @Nullable Inode lookupEntry() throws VfsException {
        return lookup(dir, lastPath, lastStart, lastEnd, lastHash);
    }
}
