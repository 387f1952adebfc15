package io.pagevfs.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.Lock;

/**
 * Helpers shared by the vfs-core unit tests: a deterministic machine, errno assertions, and a
 * snapshot of everything observable so a failing call can be shown to have changed nothing.
 */
final class VfsTesting {
    private VfsTesting() {}

    /** A call that may throw, as the system calls do. */
    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    /**
     * A machine with a clock that ticks on every read, so any timestamp a call writes differs from
     * every earlier one and a snapshot shows it.
     */
    static Vfs newVfs() {
        return newVfs(VfsConfig.builder());
    }

    static Vfs newVfs(VfsConfig.Builder builder) {
        return Vfs.create(builder.clock(FileClock.ticking(1_000_000_000L, 1_000)).build());
    }

    static Errno errno(Call call) {
        VfsException e = assertThrows(VfsException.class, call::run);
        return e.errno();
    }

    static void assertErrno(Errno expected, Call call) {
        VfsException e = assertThrows(VfsException.class, call::run);
        assertEquals(expected, e.errno(), () -> "wrong errno: " + e);
    }

    /** The call fails with {@code expected} and the machine is exactly as before. */
    static void assertFailsUnchanged(Vfs vfs, Errno expected, Call call) {
        String before = snapshot(vfs);
        assertErrno(expected, call);
        assertEquals(before, snapshot(vfs), "a failing call changed the machine");
    }

    /** The call throws {@code type} (a programming error) and the machine is exactly as before. */
    static void assertThrowsUnchanged(Vfs vfs, Class<? extends Throwable> type, Call call) {
        String before = snapshot(vfs);
        assertThrows(type, call::run);
        assertEquals(before, snapshot(vfs), "a rejected call changed the machine");
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String string(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Creates (or truncates) {@code path} with {@code data}, mode 0644 before the umask. */
    static void writeFile(Process p, String path, byte[] data) throws VfsException {
        int fd = p.open(path, Fcntl.O_CREAT | Fcntl.O_WRONLY | Fcntl.O_TRUNC, 0644);
        try {
            p.write(fd, ByteBuffer.wrap(data));
        } finally {
            p.close(fd);
        }
    }

    static void writeFile(Process p, String path, String text) throws VfsException {
        writeFile(p, path, bytes(text));
    }

    /** The whole content of {@code path}. */
    static byte[] readFile(Process p, String path) throws VfsException {
        int fd = p.open(path, Fcntl.O_RDONLY);
        try {
            return readAll(p, fd);
        } finally {
            p.close(fd);
        }
    }

    static byte[] readAll(Process p, int fd) throws VfsException {
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(p.fstat(fd).size()));
        while (buf.hasRemaining() && p.pread(fd, buf, buf.position()) > 0) {
            // pread advances the buffer
        }
        return Arrays.copyOf(buf.array(), buf.position());
    }

    static String readString(Process p, String path) throws VfsException {
        return string(readFile(p, path));
    }

    // ---- snapshot ------------------------------------------------------------------------------

    /** Files larger than this are summarised by their first and last bytes. */
    private static final int FULL_CONTENT_LIMIT = 1 << 20;

    private static final int EDGE_BYTES = 8192;

    /**
     * Everything a call could change, as text: the mount table, every volume's tree (all stat
     * fields including times, xattrs, link targets, content) and page usage, and every process's
     * identity, directories and descriptors. Reads nothing through the system calls, so taking a
     * snapshot changes no access time.
     */
    @SuppressWarnings("GuardedBy")
    static String snapshot(Vfs vfs) {
        Lock w = vfs.tree.writeLock();
        w.lock();
        try {
            StringBuilder sb = new StringBuilder();
            Map<Volume, Boolean> seen = new IdentityHashMap<>();
            for (Mount m : vfs.mountList()) {
                synchronized (m) {
                    sb.append(
                            String.format(
                                    "mount %d at %s root=%s flags=%s volume=%s ro=%s open=%d"
                                            + " writers=%d%n",
                                    m.id,
                                    Paths.mountPoint(m),
                                    Paths.inVolume(m.root),
                                    new TreeSet<>(m.flags()),
                                    m.volume,
                                    m.volume.readOnly,
                                    m.openCount,
                                    m.writerCount));
                }
                if (seen.put(m.volume, true) == null) {
                    sb.append(
                            String.format(
                                    "volume %s pages=%d/%d%n",
                                    m.volume,
                                    m.volume.pool.pagesInUse(),
                                    m.volume.pool.limitPages()));
                    dumpTree(sb, "", m.volume.root);
                }
            }
            List<Process> procs = new ArrayList<>(vfs.processes());
            procs.sort(Comparator.comparingInt(Process::pid));
            for (Process p : procs) {
                dumpProcess(sb, p);
            }
            return sb.toString();
        } finally {
            w.unlock();
        }
    }

    @SuppressWarnings("GuardedBy")
    private static void dumpTree(StringBuilder sb, String path, Directory dir) {
        sb.append(path.isEmpty() ? "/" : path)
                .append(' ')
                .append(describe(dir))
                .append(" mounts=")
                .append(dir.mountCount)
                .append(" dead=")
                .append(dir.dead)
                .append('\n');
        Map<String, Inode> entries = new TreeMap<>();
        dir.entries.forEach(entries::put);
        for (Map.Entry<String, Inode> e : entries.entrySet()) {
            String child = path + "/" + e.getKey();
            if (e.getValue() instanceof Directory d) {
                dumpTree(sb, child, d);
            } else {
                sb.append(child).append(' ').append(describe(e.getValue())).append('\n');
            }
        }
    }

    @SuppressWarnings("GuardedBy")
    static String describe(Inode i) {
        synchronized (i) {
            StringBuilder sb = new StringBuilder();
            sb.append(i.stat())
                    .append(" open=")
                    .append(i.openCount)
                    .append('/')
                    .append(i.writeCount);
            List<String> names = new ArrayList<>(List.of(i.xattrNames()));
            Collections.sort(names);
            for (String n : names) {
                sb.append(" xattr ").append(n).append('=').append(Arrays.toString(i.getXattr(n)));
            }
            if (i instanceof Symlink s) {
                sb.append(" -> ").append(s.target);
            }
            if (i instanceof RegularFile f) {
                sb.append(" content=").append(content(f));
            }
            return sb.toString();
        }
    }

    private static String content(RegularFile f) {
        long size = f.size();
        if (size <= FULL_CONTENT_LIMIT) {
            return hex(f, 0, (int) size);
        }
        return hex(f, 0, EDGE_BYTES) + "..." + hex(f, size - EDGE_BYTES, EDGE_BYTES);
    }

    private static String hex(RegularFile f, long pos, int len) {
        ByteBuffer buf = ByteBuffer.allocate(len);
        try {
            f.read(pos, buf);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return Integer.toHexString(Arrays.hashCode(buf.array())) + "/" + buf.position();
    }

    @SuppressWarnings("GuardedBy")
    private static void dumpProcess(StringBuilder sb, Process p) {
        sb.append(
                String.format(
                        "process %d %s umask=%o alive=%s cwd=%s:%s root=%s:%s%n",
                        p.pid(),
                        p.credentials(),
                        p.umask(),
                        p.isAlive(),
                        p.cwdMount.id,
                        p.cwd,
                        p.rootMount.id,
                        p.root));
        for (int fd : p.openDescriptors()) {
            OpenFile f = p.fds.get(fd);
            sb.append(
                    String.format(
                            "  fd %d cloexec=%s flags=%o offset=%d mount=%d %s%n",
                            fd,
                            p.fds.isCloseOnExec(fd),
                            f.flags(),
                            f.offset(),
                            f.mount.id,
                            describe(f.inode)));
        }
    }
}
