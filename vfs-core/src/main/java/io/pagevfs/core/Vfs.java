package io.pagevfs.core;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableList;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.IOException;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * One isolated machine: a mount table of volumes, the processes that use them, and the devices they
 * can open. Everything else is reached through a {@link Process}.
 *
 * <pre>{@code
 * try (Vfs vfs = Vfs.create()) {
 *     Process root = vfs.newProcess(Credentials.root());
 *     root.mkdir("/home", 0755);
 * }
 * }</pre>
 *
 * <p>Thread-safe. See the package documentation for the lock order.
 */
public final class Vfs implements AutoCloseable {
    /** The namespace lock: directory contents, parents, the mount table and inode attributes. */
    final ReentrantReadWriteLock tree = new ReentrantReadWriteLock();

    /** Change events for watched directories; see {@link Notifier}. */
    final Notifier notifier = new Notifier(tree);

    private final Lock readTree = new TreeLock(tree.readLock(), notifier);
    private final Lock writeTree = new TreeLock(tree.writeLock(), notifier);

    final VfsConfig config;
    final FileClock clock;
    final Mount rootMount;

    /** Advisory range locks of every file. */
    final LockTable locks = new LockTable();

    @GuardedBy("tree")
    private final List<Mount> mounts = new ArrayList<>();

    private final Set<Process> processes = ConcurrentHashMap.newKeySet();

    /**
     * Live mappings, each enqueued on {@link #mappingQueue} when its buffer becomes unreachable.
     */
    private final Set<MappingRef> mappings = ConcurrentHashMap.newKeySet();

    private final ReferenceQueue<Object> mappingQueue = new ReferenceQueue<>();
    private final AtomicInteger nextPid = new AtomicInteger(1);
    private final AtomicInteger nextMountId = new AtomicInteger(1);
    private final AtomicLong nextDev = new AtomicLong(1);
    private volatile boolean closed;

    private Vfs(VfsConfig config) {
        this.config = config;
        this.clock = config.clock();
        Volume rootVolume = newVolume(config.rootVolume(), false);
        this.rootMount =
                new Mount(
                        nextMountId.getAndIncrement(),
                        rootVolume,
                        rootVolume.root,
                        null,
                        null,
                        Set.of());
        rootVolume.mountCount = 1;
        mounts.add(rootMount);
    }

    public static Vfs create() {
        return new Vfs(VfsConfig.defaults());
    }

    public static Vfs create(VfsConfig config) {
        return new Vfs(Preconditions.checkNotNull(config, "config"));
    }

    public VfsConfig config() {
        return config;
    }

    /** A new process with these credentials, the configured umask, at "/" with no descriptors. */
    public Process newProcess(Credentials credentials) {
        Preconditions.checkNotNull(credentials, "credentials");
        Preconditions.checkState(!closed, "this Vfs is closed");
        Process p =
                new Process(
                        this,
                        nextPid.getAndIncrement(),
                        credentials,
                        config.umask(),
                        new FdTable(config.maxOpenFiles()),
                        rootMount,
                        rootMount.volume.root,
                        rootMount,
                        rootMount.volume.root);
        processes.add(p);
        return p;
    }

    Process registerChild(Process p) {
        processes.add(p);
        return p;
    }

    int allocatePid() {
        return nextPid.getAndIncrement();
    }

    void exited(Process p) {
        processes.remove(p);
    }

    /** Starts tracking a new mapping of {@code file}, made through {@code openFile}. */
    void track(Object buffer, RegularFile file, OpenFile openFile, long end) {
        openFile.retain();
        MappingRef ref = new MappingRef(buffer, mappingQueue, file, openFile, end);
        mappings.add(ref);
        file.addMapping(ref);
    }

    /**
     * Processes the mappings that have become unreachable: their files may shrink their host
     * storage, and their open file descriptions are released. Called without locks held.
     */
    void reapMappings() {
        for (Reference<?> r; (r = mappingQueue.poll()) != null; ) {
            MappingRef ref = (MappingRef) r;
            if (mappings.remove(ref)) {
                try {
                    ref.file.forgetMapping(ref);
                } catch (IOException e) {
                    // the host file could not shrink now; it will when the file is released
                }
                ref.openFile.release();
            }
        }
    }

    /** Files kept alive only by mappings (for the invariant check). */
    List<RegularFile> mappedFiles() {
        List<RegularFile> out = new ArrayList<>();
        for (MappingRef r : mappings) {
            out.add(r.file);
        }
        return out;
    }

    /** The live processes. */
    public List<Process> processes() {
        return ImmutableList.copyOf(processes);
    }

    /** Takes the tree read lock; unlocking it delivers the change events it queued. */
    Lock lockTreeForRead() {
        readTree.lock();
        return readTree;
    }

    /** Takes the tree write lock; unlocking it delivers the change events it queued. */
    Lock lockTreeForWrite() {
        writeTree.lock();
        return writeTree;
    }

    long now() {
        return clock.nowNanos();
    }

    Volume newVolume(VolumeSpec spec, boolean readOnly) {
        Volume v =
                new Volume(
                        nextDev.getAndIncrement(),
                        spec,
                        spec.rootMode(),
                        spec.rootUid(),
                        spec.rootGid(),
                        now());
        v.readOnly = readOnly;
        return v;
    }

    @GuardedBy("tree")
    Mount attach(
            Volume volume,
            Directory root,
            Mount parent,
            Directory mountpoint,
            Set<MountFlag> flags) {
        Mount m = new Mount(nextMountId.getAndIncrement(), volume, root, parent, mountpoint, flags);
        parent.attachChild(mountpoint, m);
        mountpoint.mountCount++;
        volume.mountCount++;
        mounts.add(m);
        return m;
    }

    @GuardedBy("tree")
    void detach(Mount m) {
        m.parent.detachChild(m.mountpoint);
        m.mountpoint.mountCount--;
        m.volume.mountCount--;
        mounts.remove(m);
        if (m.volume.mountCount == 0) {
            releaseVolume(m.volume, notifier);
        }
    }

    @GuardedBy("tree")
    List<Mount> mountList() {
        return mounts;
    }

    /**
     * Frees the pages of a volume that is no longer mounted anywhere (tmpfs content dies with it),
     * and ends the watches on its directories (inotify's IN_UNMOUNT).
     */
    @GuardedBy("tree")
    private static void releaseVolume(Volume v, Notifier notifier) {
        notifier.died(v.root);
        forEachInode(
                v,
                inode -> {
                    if (inode instanceof Directory d) {
                        notifier.died(d);
                    }
                    synchronized (inode) {
                        inode.nlink = 0;
                        inode.releaseIfUnused();
                    }
                });
    }

    /** Visits every inode named in {@code v}'s tree (not its root). Caller holds the tree lock. */
    private static void forEachInode(Volume v, Consumer<Inode> action) {
        Deque<Directory> todo = new ArrayDeque<>();
        todo.push(v.root);
        while (!todo.isEmpty()) {
            todo.pop()
                    .entries
                    .forEach(
                            (name, inode) -> {
                                if (inode instanceof Directory d) {
                                    todo.push(d);
                                }
                                action.accept(inode);
                            });
        }
    }

    /**
     * The tree lock as system calls take it: when a thread lets go of its last hold, it delivers
     * the change events queued meanwhile ({@link Notifier#deliver()}), outside the lock.
     */
    private static final class TreeLock implements Lock {
        private final Lock lock;
        private final Notifier notifier;

        TreeLock(Lock lock, Notifier notifier) {
            this.lock = lock;
            this.notifier = notifier;
        }

        @Override
        public void lock() {
            lock.lock();
        }

        @Override
        public void lockInterruptibly() throws InterruptedException {
            lock.lockInterruptibly();
        }

        @Override
        public boolean tryLock() {
            return lock.tryLock();
        }

        @Override
        public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
            return lock.tryLock(time, unit);
        }

        @Override
        public void unlock() {
            lock.unlock();
            notifier.deliver();
        }

        @Override
        public Condition newCondition() {
            return lock.newCondition();
        }
    }

    /** The mount table, in mount order. */
    public List<MountInfo> mounts() {
        Lock r = tree.readLock();
        r.lock();
        try {
            List<MountInfo> out = new ArrayList<>();
            for (Mount m : mounts) {
                out.add(
                        new MountInfo(
                                m.id,
                                m.parent == null ? m.id : m.parent.id,
                                Paths.mountPoint(m),
                                m.volume.name,
                                Paths.inVolume(m.root),
                                m.flags().isEmpty() ? Set.of() : EnumSet.copyOf(m.flags()),
                                m.volume.readOnly));
            }
            return out;
        } finally {
            r.unlock();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Ends every process (closing its descriptors), releases every host-memory file (mappings
     * already handed out stay valid: the kernel keeps their pages until they are unreachable) and
     * refuses new processes. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        for (Process p : processes) {
            p.exit();
        }
        Lock w = tree.writeLock();
        w.lock();
        try {
            for (Mount m : mounts) {
                forEachInode(
                        m.volume,
                        i -> {
                            if (i instanceof RegularFile f) {
                                f.forceRelease();
                            }
                        });
            }
        } finally {
            w.unlock();
        }
        for (MappingRef r : mappings) {
            r.file.forceRelease();
        }
    }

    /**
     * Checks the kernel's invariants and throws {@link IllegalStateException} naming the first that
     * fails. For tests; takes the tree write lock, so it sees a quiescent state.
     */
    public void checkInvariants() {
        Lock w = tree.writeLock();
        w.lock();
        try {
            Invariants.check(this);
        } finally {
            w.unlock();
        }
    }
}
