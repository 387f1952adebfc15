package io.pagevfs.core.model;

import io.pagevfs.core.Errno;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.CRC32;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The reference model: a deliberately simple filesystem written from Linux's rules, independently
 * of the kernel under test. Each call either returns its result or throws {@link Refused} with the
 * errno Linux gives, and it changes nothing before deciding to refuse.
 *
 * <p>The tree is nodes with children maps; a volume is a root node, a page limit and a read-only
 * flag; the mount table maps a directory node to the volume mounted on it (mounts stack). Link
 * counts, page usage and paths are not stored but counted from the tree when asked for. A file's
 * content is a byte array of exactly its size plus the set of page indices it holds: a write holds
 * every page it touches, a truncate drops the pages wholly beyond the new size.
 *
 * <p>Check orders follow fs/namei.c, fs/open.c, fs/attr.c and fs/namespace.c of Linux 6.18 and were
 * confirmed on the machine's kernel where they looked doubtful; each operation's comment says what
 * it checks, in order. A final "." or ".." (or "/" itself) is no name to create or remove, and a
 * trailing slash demands a directory (following a final symbolic link), as Linux's
 * LOOKUP_DIRECTORY.
 */
final class Model {
    static final int MAX_SYMLINKS = 40;
    static final int UMASK = 022;
    static final int S_ISUID = 04000;
    static final int S_ISGID = 02000;
    static final int S_ISVTX = 01000;
    static final int S_IXGRP = 010;
    static final int MAY_EXEC = 1;
    static final int MAY_WRITE = 2;
    static final int MAY_READ = 4;

    enum Kind {
        FILE('-'),
        DIR('d'),
        SYMLINK('l');

        final char symbol;

        Kind(char symbol) {
            this.symbol = symbol;
        }
    }

    static final class Node {
        final Kind kind;
        final Vol vol;
        int perms;
        int uid;
        int gid;
        byte[] data = new byte[0];
        final TreeSet<Long> pages = new TreeSet<>();
        final @Nullable String target;
        final TreeMap<String, Node> entries = new TreeMap<>();

        Node(Kind kind, Vol vol, int perms, int uid, int gid, @Nullable String target) {
            this.kind = kind;
            this.vol = vol;
            this.perms = perms;
            this.uid = uid;
            this.gid = gid;
            this.target = target;
        }

        boolean isDir() {
            return kind == Kind.DIR;
        }
    }

    /** A volume: its root, its page budget and the (superblock and mount) read-only flag. */
    static final class Vol {
        final String name;
        final long limitPages;
        final Node root;
        boolean readOnly;
        @Nullable Node mountpoint;

        Vol(String name, long limitPages, int rootPerms) {
            this.name = name;
            this.limitPages = limitPages;
            this.root = new Node(Kind.DIR, this, rootPerms, 0, 0, null);
        }
    }

    /** An open file description kept across steps. */
    record Handle(Who who, Node node, boolean writable) {}

    /** A refusal: the errno the model predicts. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final Errno errno;

        Refused(Errno errno) {
            super(errno.name(), null, false, false);
            this.errno = errno;
        }
    }

    final int pageSize;
    final Vol rootVol;
    private final Map<Node, Vol> mounted = new IdentityHashMap<>();
    private final List<Vol> mountOrder = new ArrayList<>();
    final List<Handle> handles = new ArrayList<>();

    /** Bumped by every change, so a step can tell whether the model changed. */
    int version;

    /** What was special about the last call, for the statistics (null if nothing). */
    @Nullable String note;

    private int volumesMade;

    Model(int pageSize, long rootLimitPages) {
        this.pageSize = pageSize;
        this.rootVol = new Vol("pagevfs", rootLimitPages, 01777);
        mountOrder.add(rootVol);
    }

    private static Refused refuse(Errno e) {
        return new Refused(e);
    }

    private static void check(@Nullable Errno e) {
        if (e != null) {
            throw refuse(e);
        }
    }

    // ---- building the initial tree --------------------------------------------------------------

    Node put(
            String parentPath, String name, Kind kind, int perms, int uid, int gid, String target) {
        Walk w = new Walk(Who.ROOT, parentPath);
        Node dir = w.last(true);
        Node n = new Node(kind, dir.vol, perms, uid, gid, kind == Kind.SYMLINK ? target : null);
        dir.entries.put(name, n);
        return n;
    }

    void fill(Node file, byte[] bytes) {
        if (bytes.length > 0) {
            writeBytes(file, 0, bytes);
        }
    }

    // ---- DAC and resolution ---------------------------------------------------------------------

    /**
     * generic_permission after sb_permission: a write to a read-only volume is EROFS; exactly one
     * class of bits applies; root reads and writes anything, searches any directory, and executes a
     * file with any x bit.
     */
    static @Nullable Errno permission(Who c, Node n, int mask) {
        if ((mask & MAY_WRITE) != 0 && n.vol.readOnly) {
            return Errno.EROFS;
        }
        int bits = n.perms;
        if (c.uid == n.uid) {
            bits >>= 6;
        } else if (c.inGroup(n.gid)) {
            bits >>= 3;
        }
        if ((mask & ~bits & 7) == 0) {
            return null;
        }
        if (c.isRoot() && (n.isDir() || (mask & MAY_EXEC) == 0 || (n.perms & 0111) != 0)) {
            return null;
        }
        return Errno.EACCES;
    }

    /** The root of the topmost volume mounted on {@code n}, or {@code n}. */
    Node cross(Node n) {
        while (n.isDir() && mounted.containsKey(n)) {
            n = mounted.get(n).root;
        }
        return n;
    }

    /**
     * One path resolution: the directories from "/" to where the walk stands, and the last name.
     */
    final class Walk {
        private final Who who;
        private final ArrayDeque<Node> stack = new ArrayDeque<>();
        private int links;

        /** The final component, or null for "/" itself. */
        @Nullable String last;

        /** The final component was followed by a slash. */
        boolean trailing;

        /** A trailing slash was seen: the result must be a directory. */
        private boolean mustBeDir;

        Walk(Who who, String path) {
            this.who = who;
            stack.add(rootVol.root);
            parent(path);
        }

        Node dir() {
            return stack.getLast();
        }

        /**
         * Walks to the directory holding the last component: search permission on each directory
         * before looking a name up in it, ENOENT for a missing and ENOTDIR for a non-directory
         * intermediate component, symbolic links followed (ELOOP past 40).
         */
        private void parent(String path) {
            if (path.startsWith("/")) {
                stack.clear();
                stack.add(rootVol.root);
            }
            Deque<String> todo = components(path);
            last = null;
            trailing = path.endsWith("/") && !todo.isEmpty();
            while (!todo.isEmpty()) {
                check(permission(who, dir(), MAY_EXEC));
                String name = todo.removeFirst();
                if (todo.isEmpty()) {
                    last = name;
                    return;
                }
                if (name.equals("..")) {
                    if (stack.size() > 1) {
                        stack.removeLast();
                    }
                    continue;
                }
                if (name.equals(".")) {
                    continue;
                }
                Node child = dir().entries.get(name);
                if (child == null) {
                    throw refuse(Errno.ENOENT);
                }
                if (child.kind == Kind.SYMLINK) {
                    countLink();
                    if (child.target.startsWith("/")) {
                        stack.clear();
                        stack.add(rootVol.root);
                    }
                    List<String> t = new ArrayList<>(components(child.target));
                    for (int i = t.size() - 1; i >= 0; i--) {
                        todo.addFirst(t.get(i));
                    }
                    continue;
                }
                Node in = cross(child);
                if (!in.isDir()) {
                    throw refuse(Errno.ENOTDIR);
                }
                stack.addLast(in);
            }
        }

        private void countLink() {
            if (++links > MAX_SYMLINKS) {
                throw refuse(Errno.ELOOP);
            }
        }

        /** Whether the last component is an ordinary name: not ".", ".." or "/" itself. */
        boolean normal() {
            return last != null && !last.equals(".") && !last.equals("..");
        }

        /**
         * The entry an ordinary last name has in {@link #dir()}, mounts not crossed, links not
         * followed; null if there is none (or the last component is not an ordinary name).
         */
        @Nullable Node entry() {
            return normal() ? dir().entries.get(last) : null;
        }

        /** The directory ".." names from where the walk stands ("/" stays "/"). */
        private Node up() {
            Iterator<Node> it = stack.descendingIterator();
            Node top = it.next();
            return it.hasNext() ? it.next() : top;
        }

        /** Follows the symbolic link {@code link} met as the last component. */
        void follow(Node link) {
            countLink();
            parent(link.target);
        }

        /**
         * What the last component names, mounts crossed; null if it does not exist. A trailing
         * slash follows a final symbolic link and demands a directory (ENOTDIR).
         */
        @Nullable Node last(boolean follow) {
            while (true) {
                mustBeDir |= trailing;
                if (last == null || last.equals(".")) {
                    return dir();
                }
                if (last.equals("..")) {
                    return up();
                }
                Node n = dir().entries.get(last);
                if (n == null) {
                    return null;
                }
                if (n.kind == Kind.SYMLINK && (follow || mustBeDir)) {
                    follow(n);
                    continue;
                }
                n = cross(n);
                if (mustBeDir && !n.isDir()) {
                    throw refuse(Errno.ENOTDIR);
                }
                return n;
            }
        }

        Node existing(boolean follow) {
            Node n = last(follow);
            if (n == null) {
                throw refuse(Errno.ENOENT);
            }
            return n;
        }
    }

    private static Deque<String> components(String path) {
        Deque<String> out = new ArrayDeque<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    // ---- helpers that change the tree -----------------------------------------------------------

    private void add(Node dir, String name, Node n) {
        dir.entries.put(name, n);
        version++;
    }

    private static int newGid(Who c, Node dir) {
        return (dir.perms & S_ISGID) != 0 ? dir.gid : c.gid;
    }

    /**
     * Linux 6.x setattr_should_drop_suidgid, for a write or truncate by a caller without
     * CAP_FSETID: set-user-id goes; set-group-id goes if group-execute is set or the caller is not
     * in the file's group.
     */
    private void killPrivileges(Who c, Node n) {
        if (c.isRoot() || n.kind != Kind.FILE) {
            return;
        }
        int perms = n.perms & ~S_ISUID;
        if ((perms & S_ISGID) != 0 && ((perms & S_IXGRP) != 0 || !c.inGroup(n.gid))) {
            perms &= ~S_ISGID;
        }
        if (perms != n.perms) {
            n.perms = perms;
            version++;
        }
    }

    private void writeBytes(Node n, long off, byte[] bytes) {
        long end = off + bytes.length;
        for (long p = off / pageSize; p <= (end - 1) / pageSize; p++) {
            n.pages.add(p);
        }
        if (end > n.data.length) {
            n.data = Arrays.copyOf(n.data, (int) end);
        }
        System.arraycopy(bytes, 0, n.data, (int) off, bytes.length);
        version++;
    }

    private void truncateTo(Node n, long size) {
        n.data = Arrays.copyOf(n.data, (int) size);
        long keep = (size + pageSize - 1) / pageSize;
        n.pages.tailSet(keep).clear();
        version++;
    }

    // ---- the system calls -----------------------------------------------------------------------

    /** stat/lstat: resolution errors, ENOENT; then the attributes. */
    String stat(Who c, String path, boolean follow) {
        Node n = new Walk(c, path).existing(follow);
        return describe(n, linkCounts());
    }

    /**
     * mkdir: EEXIST (also for ".", ".." and "/"), EROFS, then may_create on the parent (EACCES).
     */
    void mkdir(Who c, String path, int mode) {
        Walk w = new Walk(c, path);
        Node dir = w.dir();
        if (!w.normal() || w.entry() != null) {
            note = dir.vol.readOnly ? "existing name on a read-only mount" : null;
            throw refuse(Errno.EEXIST);
        }
        if (dir.vol.readOnly) {
            throw refuse(Errno.EROFS);
        }
        check(permission(c, dir, MAY_WRITE | MAY_EXEC));
        int perms = (mode & 01777 & ~UMASK) | (dir.perms & S_ISGID);
        add(dir, w.last, new Node(Kind.DIR, dir.vol, perms, c.uid, newGid(c, dir), null));
    }

    /**
     * open with O_CREAT: a trailing slash is EISDIR; a missing name is created (EROFS, then
     * may_create; no permission check on the new file); an existing one is EEXIST with O_EXCL, a
     * final symbolic link is followed (not with O_EXCL or O_NOFOLLOW), a directory is EISDIR, and
     * anything else is opened as {@link #openExisting}.
     */
    void create(Who c, String path, int flags, int mode) {
        Walk w = new Walk(c, path);
        if (!w.normal()) {
            throw refuse((flags & Flags.O_EXCL) != 0 ? Errno.EEXIST : Errno.EISDIR);
        }
        if (w.trailing) {
            throw refuse(Errno.EISDIR);
        }
        while (true) {
            Node dir = w.dir();
            Node entry = w.entry();
            if (entry == null) {
                if (dir.vol.readOnly) {
                    throw refuse(Errno.EROFS);
                }
                check(permission(c, dir, MAY_WRITE | MAY_EXEC));
                int gid = newGid(c, dir);
                int perms = mode & 07777 & ~UMASK;
                if ((perms & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP)
                        && !c.inGroup(gid)
                        && !c.isRoot()) {
                    perms &= ~S_ISGID;
                }
                add(dir, w.last, new Node(Kind.FILE, dir.vol, perms, c.uid, gid, null));
                return;
            }
            if ((flags & Flags.O_EXCL) != 0) {
                throw refuse(Errno.EEXIST);
            }
            if (entry.kind == Kind.SYMLINK && (flags & Flags.O_NOFOLLOW) == 0) {
                w.follow(entry);
                continue;
            }
            Node n = cross(entry);
            if (n.isDir()) {
                throw refuse(Errno.EISDIR);
            }
            openExisting(c, n, flags);
            return;
        }
    }

    /**
     * do_open and may_open for an existing file: O_TRUNC of a regular file on a read-only mount is
     * EROFS; a symbolic link (O_NOFOLLOW) is ELOOP; a directory opened for writing EISDIR; then
     * inode_permission for the access (and write for O_TRUNC).
     */
    private void openExisting(Who c, Node n, int flags) {
        int acc = flags & 3;
        boolean trunc = (flags & Flags.O_TRUNC) != 0 && n.kind == Kind.FILE;
        if (trunc && n.vol.readOnly) {
            throw refuse(Errno.EROFS);
        }
        int mask =
                acc == Flags.O_RDONLY
                        ? MAY_READ
                        : acc == Flags.O_WRONLY ? MAY_WRITE : MAY_READ | MAY_WRITE;
        if ((flags & Flags.O_TRUNC) != 0) {
            mask |= MAY_WRITE;
        }
        if (n.kind == Kind.SYMLINK) {
            throw refuse(Errno.ELOOP);
        }
        if (n.isDir() && (mask & MAY_WRITE) != 0) {
            throw refuse(Errno.EISDIR);
        }
        check(permission(c, n, mask));
        if (trunc) {
            killPrivileges(c, n);
            truncateTo(n, 0);
        }
    }

    /** open(O_WRONLY), pwrite, close. */
    void write(Who c, String path, long off, byte[] bytes) {
        Node n = new Walk(c, path).existing(true);
        openExisting(c, n, Flags.O_WRONLY);
        pwrite(c, n, off, bytes);
    }

    /**
     * pwrite to a regular file: a negative offset is EINVAL; then the pages the write touches and
     * the file does not hold yet must fit in the volume (ENOSPC; all or nothing, as PageVFS
     * promises); set-id bits are cleared once the write succeeds. (Linux clears them before the
     * write can fail ENOSPC; PageVFS leaves a failed write's file exactly as before, as its issue
     * requires: docs/DIFFERENCES.md.)
     */
    private void pwrite(Who c, Node n, long off, byte[] bytes) {
        if (off < 0) {
            throw refuse(Errno.EINVAL);
        }
        long missing = 0;
        for (long p = off / pageSize; p <= (off + bytes.length - 1) / pageSize; p++) {
            if (!n.pages.contains(p)) {
                missing++;
            }
        }
        if (usedPages(n.vol) + missing > n.vol.limitPages) {
            throw refuse(Errno.ENOSPC);
        }
        killPrivileges(c, n);
        writeBytes(n, off, bytes);
    }

    /**
     * open(O_RDONLY), pread, close: a directory opens but reads EISDIR. A negative offset is EINVAL
     * before anything else, as ksys_pread64 checks it before looking at the descriptor.
     */
    String read(Who c, String path, long off, int len) {
        Node n = new Walk(c, path).existing(true);
        openExisting(c, n, Flags.O_RDONLY);
        return pread(n, off, len);
    }

    private static String pread(Node n, long off, int len) {
        if (off < 0) {
            throw refuse(Errno.EINVAL);
        }
        if (n.isDir()) {
            throw refuse(Errno.EISDIR);
        }
        int count = (int) Math.max(0, Math.min(len, n.data.length - off));
        return bytesRead(
                count == 0
                        ? new byte[0]
                        : Arrays.copyOfRange(n.data, (int) off, (int) off + count));
    }

    static String bytesRead(byte[] bytes) {
        return "read " + bytes.length + " bytes crc " + crc(bytes);
    }

    /**
     * truncate(2): EINVAL for a negative size before the walk; EISDIR for a directory, EROFS, write
     * permission, then set-id bits go.
     */
    void truncate(Who c, String path, long size) {
        if (size < 0) {
            throw refuse(Errno.EINVAL);
        }
        Node n = new Walk(c, path).existing(true);
        if (n.isDir()) {
            throw refuse(Errno.EISDIR);
        }
        if (n.vol.readOnly) {
            throw refuse(Errno.EROFS);
        }
        check(permission(c, n, MAY_WRITE));
        killPrivileges(c, n);
        truncateTo(n, size);
    }

    /** chmod: ENOENT, EROFS, owner or root (EPERM); set-group-id needs the file's group. */
    void chmod(Who c, String path, int mode) {
        Walk w = new Walk(c, path);
        Node n = w.last(true);
        if (n == null) {
            note = w.dir().vol.readOnly ? "missing name on a read-only mount" : null;
            throw refuse(Errno.ENOENT);
        }
        if (n.vol.readOnly) {
            throw refuse(Errno.EROFS);
        }
        if (!c.isRoot() && c.uid != n.uid) {
            throw refuse(Errno.EPERM);
        }
        int perms = mode & 07777;
        if (!c.isRoot() && !c.inGroup(n.gid)) {
            perms &= ~S_ISGID;
        }
        n.perms = perms;
        version++;
    }

    /**
     * chown: ENOENT, EROFS; a new uid needs root (the owner may name itself), a new gid root or the
     * owner moving to one of its groups (EPERM). A non-directory loses set-user-id, and
     * set-group-id when group-execute is set or the caller is neither root nor in the file's group;
     * that mode change itself needs the owner or root, so a stranger's chown(-1, -1) of a set-id
     * file is EPERM.
     */
    void chown(Who c, String path, int uid, int gid) {
        Node n = new Walk(c, path).existing(true);
        if (n.vol.readOnly) {
            throw refuse(Errno.EROFS);
        }
        boolean owner = c.uid == n.uid;
        if (uid != -1 && !c.isRoot() && !(owner && uid == n.uid)) {
            throw refuse(Errno.EPERM);
        }
        if (gid != -1 && !c.isRoot() && !(owner && (gid == n.gid || c.inGroup(gid)))) {
            throw refuse(Errno.EPERM);
        }
        int perms = n.perms;
        if (!n.isDir()) {
            perms &= ~S_ISUID;
            if ((perms & S_ISGID) != 0
                    && ((perms & S_IXGRP) != 0 || !(c.isRoot() || c.inGroup(n.gid)))) {
                perms &= ~S_ISGID;
            }
        }
        if (perms != n.perms && !c.isRoot() && !owner) {
            throw refuse(Errno.EPERM);
        }
        n.perms = perms;
        n.uid = uid == -1 ? n.uid : uid;
        n.gid = gid == -1 ? n.gid : gid;
        version++;
    }

    /**
     * link: the source (not followed) must exist; the new name is created as {@link #newName}
     * checks; EXDEV across mounts; protected_hardlinks (EPERM); may_create (EACCES); a directory
     * source EPERM.
     */
    void link(Who c, String oldPath, String newPath) {
        Node src = new Walk(c, oldPath).existing(false);
        Walk w = new Walk(c, newPath);
        Node dir = newName(w);
        if (src.vol != dir.vol) {
            throw refuse(Errno.EXDEV);
        }
        if (!mayLink(c, src)) {
            throw refuse(Errno.EPERM);
        }
        check(permission(c, dir, MAY_WRITE | MAY_EXEC));
        if (src.isDir()) {
            throw refuse(Errno.EPERM);
        }
        add(dir, w.last, src);
    }

    /**
     * fs.protected_hardlinks = 1: the owner or root, or a plain regular file one may read and
     * write.
     */
    private static boolean mayLink(Who c, Node src) {
        if (c.isRoot() || c.uid == src.uid) {
            return true;
        }
        boolean setId =
                (src.perms & S_ISUID) != 0
                        || (src.perms & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP);
        return src.kind == Kind.FILE && !setId && permission(c, src, MAY_READ | MAY_WRITE) == null;
    }

    /**
     * filename_create for a non-directory: an existing name is EEXIST, a trailing slash ENOENT,
     * then a read-only mount EROFS. Returns the directory to create in.
     */
    private static Node newName(Walk w) {
        if (!w.normal() || w.entry() != null) {
            throw refuse(Errno.EEXIST);
        }
        if (w.trailing) {
            throw refuse(Errno.ENOENT);
        }
        if (w.dir().vol.readOnly) {
            throw refuse(Errno.EROFS);
        }
        return w.dir();
    }

    /** symlink: {@link #newName}, then may_create. */
    void symlink(Who c, String target, String path) {
        Walk w = new Walk(c, path);
        Node dir = newName(w);
        check(permission(c, dir, MAY_WRITE | MAY_EXEC));
        add(dir, w.last, new Node(Kind.SYMLINK, dir.vol, 0777, c.uid, newGid(c, dir), target));
    }

    /**
     * unlink: EROFS before looking at the name; with a trailing slash ENOENT, EISDIR or ENOTDIR;
     * ENOENT; then may_delete (EISDIR for a directory).
     */
    void unlink(Who c, String path) {
        Walk w = new Walk(c, path);
        Node dir = w.dir();
        if (!w.normal()) {
            throw refuse(Errno.EISDIR);
        }
        if (dir.vol.readOnly) {
            note = w.entry() == null ? "missing name on a read-only mount" : null;
            throw refuse(Errno.EROFS);
        }
        Node victim = w.entry();
        if (w.trailing) {
            throw refuse(
                    victim == null ? Errno.ENOENT : victim.isDir() ? Errno.EISDIR : Errno.ENOTDIR);
        }
        if (victim == null) {
            throw refuse(Errno.ENOENT);
        }
        mayDelete(c, dir, victim, false);
        dir.entries.remove(w.last);
        version++;
    }

    /**
     * rmdir: EINVAL for ".", ENOTEMPTY for "..", EBUSY for "/"; EROFS, ENOENT, may_delete
     * (ENOTDIR), EBUSY for a mount point, ENOTEMPTY.
     */
    void rmdir(Who c, String path) {
        Walk w = new Walk(c, path);
        Node dir = w.dir();
        if (!w.normal()) {
            throw refuse(
                    w.last == null
                            ? Errno.EBUSY
                            : w.last.equals(".") ? Errno.EINVAL : Errno.ENOTEMPTY);
        }
        if (dir.vol.readOnly) {
            throw refuse(Errno.EROFS);
        }
        Node victim = w.entry();
        if (victim == null) {
            throw refuse(Errno.ENOENT);
        }
        mayDelete(c, dir, victim, true);
        if (mounted.containsKey(victim)) {
            note = "a mount point";
            throw refuse(Errno.EBUSY);
        }
        if (!victim.entries.isEmpty()) {
            throw refuse(Errno.ENOTEMPTY);
        }
        dir.entries.remove(w.last);
        version++;
    }

    /** may_delete: write and search on the directory, the sticky bit (EPERM), then the type. */
    private static void mayDelete(Who c, Node dir, Node victim, boolean wantDir) {
        check(permission(c, dir, MAY_WRITE | MAY_EXEC));
        if ((dir.perms & S_ISVTX) != 0 && c.uid != victim.uid && c.uid != dir.uid && !c.isRoot()) {
            throw refuse(Errno.EPERM);
        }
        if (wantDir && !victim.isDir()) {
            throw refuse(Errno.ENOTDIR);
        }
        if (!wantDir && victim.isDir()) {
            throw refuse(Errno.EISDIR);
        }
    }

    /**
     * rename: both walks; EXDEV if the parents are on different mounts (before anything else);
     * EBUSY if either last component is ".", ".." or "/"; EROFS; ENOENT for a missing source;
     * ENOTDIR for a trailing slash on either name when the source is not a directory; when the
     * parents differ, EINVAL for a directory moved below itself and ENOTEMPTY for a target that is
     * an ancestor of the source; the same inode twice is a no-op; may_delete the source, may_create
     * or may_delete the target (ENOTDIR/EISDIR for mismatched types); write permission on a
     * directory that changes parent; EBUSY for mount points; ENOTEMPTY for a non-empty target
     * directory.
     */
    void rename(Who c, String oldPath, String newPath) {
        Walk from = new Walk(c, oldPath);
        Walk to = new Walk(c, newPath);
        Node od = from.dir();
        Node nd = to.dir();
        if (od.vol != nd.vol) {
            throw refuse(Errno.EXDEV);
        }
        if (!from.normal() || !to.normal()) {
            throw refuse(Errno.EBUSY);
        }
        if (od.vol.readOnly) {
            throw refuse(Errno.EROFS);
        }
        Node src = from.entry();
        if (src == null) {
            throw refuse(Errno.ENOENT);
        }
        Node dst = to.entry();
        if (!src.isDir() && (from.trailing || to.trailing)) {
            throw refuse(Errno.ENOTDIR);
        }
        if (od != nd) {
            if (src.isDir() && contains(src, nd)) {
                throw refuse(Errno.EINVAL);
            }
            if (dst != null && dst.isDir() && contains(dst, od)) {
                throw refuse(Errno.ENOTEMPTY);
            }
        }
        if (src == dst) {
            return;
        }
        mayDelete(c, od, src, src.isDir());
        if (dst == null) {
            check(permission(c, nd, MAY_WRITE | MAY_EXEC));
        } else {
            mayDelete(c, nd, dst, src.isDir());
        }
        if (od != nd && src.isDir()) {
            check(permission(c, src, MAY_WRITE));
        }
        if (mounted.containsKey(src) || (dst != null && mounted.containsKey(dst))) {
            note = "a mount point";
            throw refuse(Errno.EBUSY);
        }
        if (dst != null && dst.isDir() && !dst.entries.isEmpty()) {
            throw refuse(Errno.ENOTEMPTY);
        }
        od.entries.remove(from.last);
        nd.entries.put(to.last, src);
        version++;
    }

    /** Whether {@code d} is {@code ancestor} or lies below it in the same volume. */
    private static boolean contains(Node ancestor, Node d) {
        if (ancestor == d) {
            return true;
        }
        for (Node child : ancestor.entries.values()) {
            if (child.isDir() && contains(child, d)) {
                return true;
            }
        }
        return false;
    }

    /**
     * mount of a new volume: the target is resolved first (ENOENT, EACCES, ELOOP), then only root
     * may mount (EPERM), then the target must be a directory (ENOTDIR).
     */
    void mount(Who c, String target, String name, long limitPages, boolean readOnly) {
        Node n = new Walk(c, target).existing(true);
        if (!c.isRoot()) {
            throw refuse(Errno.EPERM);
        }
        if (!n.isDir()) {
            throw refuse(Errno.ENOTDIR);
        }
        Vol v = new Vol(name, limitPages, 01777);
        v.readOnly = readOnly;
        v.mountpoint = n;
        mounted.put(n, v);
        mountOrder.add(v);
        volumesMade++;
        version++;
    }

    String nextVolumeName() {
        return "vol" + (volumesMade + 1);
    }

    /** The volume whose root {@code target} names: resolution errors, EPERM, then EINVAL. */
    private Vol mountAt(Who c, String target) {
        Node n = new Walk(c, target).existing(true);
        if (!c.isRoot()) {
            throw refuse(Errno.EPERM);
        }
        if (n != n.vol.root) {
            throw refuse(Errno.EINVAL);
        }
        return n.vol;
    }

    /** umount: EBUSY while a file of the volume is open or something is mounted inside it. */
    void umount(Who c, String target) {
        Vol v = mountAt(c, target);
        if (v == rootVol) {
            throw refuse(Errno.EBUSY);
        }
        if (handles.stream().anyMatch(h -> h.node().vol == v)) {
            note = "a file is open";
            throw refuse(Errno.EBUSY);
        }
        if (mounted.keySet().stream().anyMatch(n -> n.vol == v)) {
            note = "a mount inside";
            throw refuse(Errno.EBUSY);
        }
        mounted.remove(v.mountpoint);
        mountOrder.remove(v);
        version++;
    }

    /**
     * remount: going read-only is EBUSY while a file of the volume is open for writing, or open
     * after losing its last name (Linux's s_remove_count).
     */
    void remount(Who c, String target, boolean readOnly) {
        Vol v = mountAt(c, target);
        if (readOnly && !v.readOnly) {
            Map<Node, Integer> counts = linkCounts();
            for (Handle h : handles) {
                if (h.node().vol == v && (h.writable() || !counts.containsKey(h.node()))) {
                    note = h.writable() ? "a file is open for writing" : "an unlinked file is open";
                    throw refuse(Errno.EBUSY);
                }
            }
        }
        v.readOnly = readOnly;
        version++;
    }

    // ---- descriptors kept open across steps -----------------------------------------------------

    void openHeld(Who c, String path, boolean writable) {
        Node n = new Walk(c, path).existing(true);
        openExisting(c, n, writable ? Flags.O_RDWR : Flags.O_RDONLY);
        handles.add(new Handle(c, n, writable));
        version++;
    }

    /** pwrite on a kept descriptor: EINVAL for a negative offset before EBADF (ksys_pwrite64). */
    void writeHeld(int index, long off, byte[] bytes) {
        Handle h = handles.get(index);
        if (off < 0) {
            throw refuse(Errno.EINVAL);
        }
        if (!h.writable()) {
            throw refuse(Errno.EBADF);
        }
        pwrite(h.who(), h.node(), off, bytes);
    }

    String readHeld(int index, long off, int len) {
        return pread(handles.get(index).node(), off, len);
    }

    void closeHeld(int index) {
        handles.remove(index);
        version++;
    }

    // ---- counting and describing ----------------------------------------------------------------

    /** The pages the volume's files hold: named anywhere in its tree, or open. */
    long usedPages(Vol v) {
        Set<Node> files = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        collectFiles(v.root, files);
        for (Handle h : handles) {
            if (h.node().vol == v && h.node().kind == Kind.FILE) {
                files.add(h.node());
            }
        }
        return files.stream().mapToLong(f -> f.pages.size()).sum();
    }

    private static void collectFiles(Node dir, Set<Node> out) {
        for (Node child : dir.entries.values()) {
            if (child.kind == Kind.FILE) {
                out.add(child);
            } else if (child.isDir()) {
                collectFiles(child, out);
            }
        }
    }

    /** How many names each node has, over every mounted volume (hidden parts included). */
    Map<Node, Integer> linkCounts() {
        Map<Node, Integer> counts = new IdentityHashMap<>();
        for (Vol v : mountOrder) {
            counts.put(v.root, 1);
            countNames(v.root, counts);
        }
        return counts;
    }

    private static void countNames(Node dir, Map<Node, Integer> counts) {
        for (Node child : dir.entries.values()) {
            counts.merge(child, 1, Integer::sum);
            if (child.isDir()) {
                countNames(child, counts);
            }
        }
    }

    private static int nlink(Node n, Map<Node, Integer> counts) {
        if (n.isDir()) {
            return 2 + (int) n.entries.values().stream().filter(Node::isDir).count();
        }
        return counts.getOrDefault(n, 0);
    }

    /** The attributes stat reports, in the format both sides of the test use. */
    private String describe(Node n, Map<Node, Integer> counts) {
        long size =
                n.isDir()
                        ? (n.entries.size() + 2L) * 20
                        : n.kind == Kind.FILE ? n.data.length : n.target.length();
        long blocks = n.pages.size() * (long) pageSize / 512;
        return Format.stat(n.kind.symbol, n.perms, n.uid, n.gid, nlink(n, counts), size, blocks);
    }

    /** The whole visible tree, keyed by path, plus the mount table, as {@link Machine} reads it. */
    SortedMap<String, String> snapshot() {
        Map<Node, Integer> counts = linkCounts();
        SortedMap<String, String> out = new TreeMap<>();
        visit("/", rootVol.root, counts, out);
        List<String> table = new ArrayList<>();
        for (Vol v : mountOrder) {
            table.add(Format.mount(mountPointPath(v), v.name, v.readOnly, v.readOnly));
        }
        out.put(Format.MOUNT_TABLE, String.join("; ", table));
        return out;
    }

    private void visit(
            String path, Node n, Map<Node, Integer> counts, SortedMap<String, String> out) {
        String line = describe(n, counts);
        if (n.kind == Kind.FILE) {
            line += Format.content(crc(n.data));
        } else if (n.kind == Kind.SYMLINK) {
            line += Format.target(n.target);
        } else if (n == n.vol.root) {
            line += Format.volume(n.vol.name, usedPages(n.vol), n.vol.readOnly);
        }
        out.put(path, line);
        if (n.isDir()) {
            for (Map.Entry<String, Node> e : n.entries.entrySet()) {
                visit(Format.child(path, e.getKey()), cross(e.getValue()), counts, out);
            }
        }
    }

    private String mountPointPath(Vol v) {
        return v == rootVol ? "/" : pathOf(v.mountpoint);
    }

    private String pathOf(Node n) {
        String base = mountPointPath(n.vol);
        List<String> names = new ArrayList<>();
        if (!find(n.vol.root, n, names)) {
            throw new IllegalStateException("a mount point has no name");
        }
        String path = base;
        for (String name : names) {
            path = Format.child(path, name);
        }
        return path;
    }

    private static boolean find(Node dir, Node target, List<String> names) {
        if (dir == target) {
            return true;
        }
        for (Map.Entry<String, Node> e : dir.entries.entrySet()) {
            if (e.getValue().isDir()) {
                names.add(e.getKey());
                if (find(e.getValue(), target, names)) {
                    return true;
                }
                names.remove(names.size() - 1);
            }
        }
        return false;
    }

    static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    /** The open flags the steps use (Linux values; the test does not borrow the kernel's). */
    static final class Flags {
        private Flags() {}

        static final int O_RDONLY = 0;
        static final int O_WRONLY = 1;
        static final int O_RDWR = 2;
        static final int O_CREAT = 0100;
        static final int O_EXCL = 0200;
        static final int O_TRUNC = 01000;
        static final int O_NOFOLLOW = 0400000;
    }
}
