package io.pagevfs.core.model;

import io.pagevfs.core.Credentials;
import io.pagevfs.core.DirEntry;
import io.pagevfs.core.Errno;
import io.pagevfs.core.Fcntl;
import io.pagevfs.core.FsStat;
import io.pagevfs.core.MountFlag;
import io.pagevfs.core.MountInfo;
import io.pagevfs.core.Process;
import io.pagevfs.core.Stat;
import io.pagevfs.core.Vfs;
import io.pagevfs.core.VfsConfig;
import io.pagevfs.core.VfsException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.statistics.Statistics;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The state of one action chain: the kernel under test (a {@link Vfs} with one process per {@link
 * Who}), the reference {@link Model} beside it, and the descriptors kept open across steps.
 *
 * <p>{@link #apply} runs one step on both and demands the same result or errno, and that a refused
 * step changed nothing the model did not change. {@link #checkTree} compares the whole visible tree
 * (types, modes, owners, link counts, sizes, blocks, contents, link targets, volume usage and the
 * mount table), read through the public API by a root process that keeps nothing open.
 */
final class Machine {
    static final long ROOT_LIMIT_PAGES = 12;
    static final long VOLUME_LIMIT_PAGES = 4;

    final int pageSize;
    final Vfs vfs;
    final Model model;
    private final Map<Who, Process> processes = new EnumMap<>(Who.class);
    private final Process inspector;

    /** The kernel's descriptors of {@link Model#handles}, index for index. */
    private final List<Integer> heldFds = new ArrayList<>();

    private int volumesMade;
    private int steps;
    private boolean crossedPages;
    private SortedMap<String, String> lastTree;

    Machine(int pageSize) {
        this.pageSize = pageSize;
        this.vfs =
                Vfs.create(
                        VfsConfig.builder()
                                .pageSize(pageSize)
                                .memoryLimit(ROOT_LIMIT_PAGES * pageSize)
                                .umask(Model.UMASK)
                                .build());
        for (Who w : Who.values()) {
            processes.put(w, vfs.newProcess(w.credentials()));
        }
        this.inspector = vfs.newProcess(Credentials.root());
        this.model = new Model(pageSize, ROOT_LIMIT_PAGES);
        try {
            populate();
        } catch (VfsException e) {
            throw new AssertionError("cannot build the initial tree", e);
        }
        this.lastTree = kernelTree();
    }

    /**
     * The initial tree, built through the API in the kernel and directly in the model:
     *
     * <pre>
     * /      1777 0:0            /f    0644 1000:1000 a page and a bit    /l    -> l (a loop)
     * /a     0775 1000:1000      /g    0666 1002:1002 10 bytes
     * /a/b   0750 1000:1000      /a/f  0664 1000:1000 two pages          /a/s  -> b
     * /m     0755 0:0            /a/g  0660 1001:1000 300 bytes
     *                            /m/h  0644 0:0       100 bytes, hidden by:
     * /m     1777 0:0  (volume vol1 mounted on /m)
     *                            /m/f  0644 0:0       100 bytes
     *                            /m/g  0666 1001:1001 empty
     * </pre>
     */
    private void populate() throws VfsException {
        Process root = process(Who.ROOT);
        directory(root, "/", "a", 0775, 1000, 1000);
        directory(root, "/a", "b", 0750, 1000, 1000);
        directory(root, "/", "m", 0755, 0, 0);
        file(root, "/", "f", 0644, 1000, 1000, pattern(7, pageSize + 100));
        file(root, "/", "g", 0666, 1002, 1002, pattern(3, 10));
        file(root, "/a", "f", 0664, 1000, 1000, pattern(5, 2 * pageSize));
        file(root, "/a", "g", 0660, 1001, 1000, pattern(99, 300));
        file(root, "/m", "h", 0644, 0, 0, pattern(13, 100));
        symlink(root, "/a", "s", "b", 1000, 1000);
        symlink(root, "/", "l", "l", 0, 0);
        Step mount = new Step.Mount(Who.ROOT, "/m", false);
        mount.onModel(model);
        mount.onKernel(this);
        file(root, "/m", "f", 0644, 0, 0, pattern(11, 100));
        file(root, "/m", "g", 0666, 1001, 1001, pattern(0, 0));
    }

    private void directory(Process root, String parent, String name, int perms, int uid, int gid)
            throws VfsException {
        String path = Format.child(parent, name);
        root.mkdir(path, perms);
        root.chmod(path, perms);
        root.chown(path, uid, gid);
        model.put(parent, name, Model.Kind.DIR, perms, uid, gid, null);
    }

    private void file(
            Process root, String parent, String name, int perms, int uid, int gid, byte[] bytes)
            throws VfsException {
        String path = Format.child(parent, name);
        int fd = root.open(path, Fcntl.O_CREAT | Fcntl.O_WRONLY, perms);
        if (bytes.length > 0) {
            root.pwrite(fd, ByteBuffer.wrap(bytes), 0);
        }
        root.close(fd);
        root.chmod(path, perms);
        root.chown(path, uid, gid);
        model.fill(model.put(parent, name, Model.Kind.FILE, perms, uid, gid, null), bytes);
    }

    private void symlink(Process root, String parent, String name, String target, int uid, int gid)
            throws VfsException {
        String path = Format.child(parent, name);
        root.symlink(target, path);
        root.lchown(path, uid, gid);
        model.put(parent, name, Model.Kind.SYMLINK, 0777, uid, gid, target);
    }

    static byte[] pattern(int seed, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seed + i * 31);
        }
        return b;
    }

    Process process(Who who) {
        return processes.get(who);
    }

    /** The name the next mounted volume gets (the model names its volumes the same way). */
    String nextVolumeName() {
        return "vol" + (volumesMade + 1);
    }

    void mounted() {
        volumesMade++;
    }

    int heldFd(int index) {
        return heldFds.get(index);
    }

    void held(int fd) {
        heldFds.add(fd);
    }

    void released(int index) {
        heldFds.remove(index);
    }

    int steps() {
        return steps;
    }

    boolean crossedPages() {
        return crossedPages;
    }

    void close() {
        vfs.close();
    }

    // ---- one step -------------------------------------------------------------------------------

    /** The result of a step: a value, or the errno it was refused with. */
    record Outcome(@Nullable Errno errno, String value) {
        boolean refused() {
            return errno != null;
        }

        String label() {
            return errno == null ? "OK" : errno.name();
        }

        @Override
        public String toString() {
            return errno == null ? value : errno.name();
        }
    }

    /**
     * Runs {@code step} on the model and on the kernel; they must agree, and a refused step must
     * leave the kernel's tree as it was unless the model says Linux changes something anyway.
     */
    void apply(Step step) {
        int versionBefore = model.version;
        model.note = null;
        Outcome expected;
        try {
            expected = new Outcome(null, step.onModel(model));
        } catch (Model.Refused r) {
            expected = new Outcome(r.errno, "");
        }
        Outcome actual;
        try {
            actual = new Outcome(null, step.onKernel(this));
        } catch (VfsException e) {
            actual = new Outcome(e.errno(), "");
        }
        steps++;
        Statistics.label("outcome").collect(actual.label());
        Statistics.label("call").collect(callLabel(step, actual));
        if (step instanceof Step.Writes w && !actual.refused()) {
            long first = w.offset() / pageSize;
            long last = (w.offset() + w.length() - 1) / pageSize;
            crossedPages |= first != last;
            Statistics.label("write")
                    .collect(first == last ? "within one page" : "across a page boundary");
        }
        if (!expected.equals(actual)) {
            throw new AssertionError(
                    step + ": the kernel gives " + actual + ", the model " + expected);
        }
        if (actual.refused() && model.version == versionBefore) {
            requireSame(
                    lastTree,
                    kernelTree(),
                    step + " was refused with " + actual + " but changed the tree");
        }
    }

    /** The step's call and outcome, and what was special about it, e.g. "Unlink EROFS (...)". */
    private String callLabel(Step step, Outcome actual) {
        String label = step.getClass().getSimpleName() + " " + actual.label();
        return model.note == null ? label : label + " (" + model.note + ")";
    }

    /** The invariant: the kernel's whole tree is the model's. */
    void checkTree() {
        SortedMap<String, String> kernel = kernelTree();
        requireSame(model.snapshot(), kernel, "the kernel's tree differs from the model's");
        lastTree = kernel;
    }

    private static void requireSame(
            SortedMap<String, String> expected, SortedMap<String, String> actual, String what) {
        if (expected.equals(actual)) {
            return;
        }
        StringBuilder sb = new StringBuilder(what).append(":");
        TreeSet<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        for (String k : keys) {
            String e = expected.get(k);
            String a = actual.get(k);
            if (e == null || !e.equals(a)) {
                sb.append("\n  ").append(k).append("\n    expected ").append(e);
                sb.append("\n    actual   ").append(a);
            }
        }
        throw new AssertionError(sb.toString());
    }

    // ---- reading the kernel's tree --------------------------------------------------------------

    SortedMap<String, String> kernelTree() {
        try {
            SortedMap<String, String> out = new TreeMap<>();
            visit("/", inspector.stat("/"), -1, out);
            List<String> table = new ArrayList<>();
            for (MountInfo m : vfs.mounts()) {
                boolean mountRo = m.flags().contains(MountFlag.READ_ONLY);
                table.add(Format.mount(m.mountPoint(), m.volume(), m.volumeReadOnly(), mountRo));
            }
            out.put(Format.MOUNT_TABLE, String.join("; ", table));
            return out;
        } catch (VfsException e) {
            throw new AssertionError("root cannot read the kernel's tree", e);
        }
    }

    private void visit(String path, Stat st, long parentDev, SortedMap<String, String> out)
            throws VfsException {
        String line =
                Format.stat(
                        st.type().symbol(),
                        st.permissions(),
                        st.uid(),
                        st.gid(),
                        st.nlink(),
                        st.size(),
                        st.blocks());
        if (st.isRegularFile()) {
            line += Format.content(Model.crc(readAll(path, st.size())));
        } else if (st.isSymlink()) {
            line += Format.target(inspector.readlink(path));
        } else if (st.dev() != parentDev) {
            FsStat fs = inspector.statfs(path);
            line += Format.volume(fs.name(), fs.usedBlocks(), fs.readOnly());
        }
        out.put(path, line);
        if (st.isDirectory()) {
            for (DirEntry e : inspector.listDirectory(path)) {
                String child = Format.child(path, e.name());
                visit(child, inspector.lstat(child), st.dev(), out);
            }
        }
    }

    private byte[] readAll(String path, long size) throws VfsException {
        int fd = inspector.open(path, Fcntl.O_RDONLY);
        try {
            ByteBuffer buf = ByteBuffer.allocate((int) size);
            while (buf.hasRemaining()) {
                if (inspector.pread(fd, buf, buf.position()) == 0) {
                    throw new AssertionError(path + " ends before its size " + size);
                }
            }
            return buf.array();
        } finally {
            inspector.close(fd);
        }
    }
}
