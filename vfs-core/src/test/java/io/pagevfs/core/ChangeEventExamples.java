package io.pagevfs.core;

import static io.pagevfs.core.ChangeKind.CREATED;
import static io.pagevfs.core.Fcntl.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChangeEventExamples {
    /** Records what a watch hears, as "KIND name" strings, and whether it ended. */
    static final class Recorder implements DirectoryListener {
        final List<String> events = new CopyOnWriteArrayList<>();
        volatile int ended;

        @Override
        public void changed(ChangeKind kind, String name) {
            events.add(kind + " " + name);
        }

        @Override
        public void watchEnded() {
            ended++;
        }

        List<String> take() {
            List<String> out = new ArrayList<>(events);
            events.clear();
            return out;
        }
    }

    private Vfs vfs;
    private Process root;

    @BeforeEach
    void setUp() throws VfsException {
        vfs = Vfs.create(VfsConfig.builder().pageSize(512).build());
        root = vfs.newProcess(Credentials.root());
        root.mkdir("/w", 0777);
        root.mkdir("/other", 0777);
        root.chmod("/w", 0777);
    }

    @AfterEach
    void tearDown() {
        vfs.checkInvariants();
        vfs.close();
    }

    private void write(Process p, String path, int bytes) throws VfsException {
        int fd = p.open(path, O_WRONLY | O_CREAT, 0644);
        p.write(fd, ByteBuffer.allocate(bytes));
        p.close(fd);
    }

    private void create(Process p, String path) throws VfsException {
        p.close(p.open(path, O_WRONLY | O_CREAT | O_EXCL, 0644));
    }

    @Test
    void namespaceCalls_reportCreateAndDelete() throws Exception {
        Recorder r = new Recorder();
        root.watch("/w", r);
        create(root, "/w/f");
        root.mkdir("/w/d", 0755);
        root.symlink("f", "/w/l");
        root.link("/w/f", "/w/h");
        root.mknod("/w/n", Mode.S_IFREG | 0644, 0);
        root.unlink("/w/l");
        root.rmdir("/w/d");
        assertEquals(
                List.of(
                        "CREATED f",
                        "CREATED d",
                        "CREATED l",
                        "CREATED h",
                        "CREATED n",
                        "DELETED l",
                        "DELETED d"),
                r.take());
    }

    @Test
    void failedCalls_reportNothing() throws Exception {
        Recorder r = new Recorder();
        create(root, "/w/f");
        root.watch("/w", r);
        assertThrows(VfsException.class, () -> create(root, "/w/f"));
        assertThrows(VfsException.class, () -> root.unlink("/w/missing"));
        assertThrows(VfsException.class, () -> root.rmdir("/w/f"));
        Process user = vfs.newProcess(Credentials.of(1000, 1000));
        assertThrows(VfsException.class, () -> user.chmod("/w/f", 0600));
        assertEquals(List.of(), r.take());
    }

    @Test
    void writesTruncatesAndAttributeChanges_reportModify() throws Exception {
        create(root, "/w/f");
        Recorder r = new Recorder();
        root.watch("/w", r);
        write(root, "/w/f", 10);
        root.truncate("/w/f", 3);
        int fd = root.open("/w/f", O_RDWR | O_TRUNC);
        root.pwrite(fd, ByteBuffer.allocate(1), 100);
        root.ftruncate(fd, 5);
        root.write(fd, ByteBuffer.allocate(0)); // nothing written: no event
        root.close(fd);
        root.chmod("/w/f", 0600);
        root.chown("/w/f", 7, 7);
        root.utimens("/w/f", UTIME_NOW, UTIME_NOW);
        root.utimens("/w/f", UTIME_OMIT, 5); // mtime alone: IN_MODIFY
        root.setxattr("/w/f", "user.k", new byte[] {1}, 0);
        root.removexattr("/w/f", "user.k");
        assertEquals(
                List.of(
                        "MODIFIED f", // write
                        "MODIFIED f", // truncate
                        "MODIFIED f", // O_TRUNC
                        "MODIFIED f", // pwrite
                        "MODIFIED f", // ftruncate
                        "MODIFIED f", // chmod
                        "MODIFIED f", // chown
                        "MODIFIED f", // utimens
                        "MODIFIED f", // utimens mtime
                        "MODIFIED f", // setxattr
                        "MODIFIED f"), // removexattr
                r.take());
    }

    @Test
    void changesJavaNioDoesNotReport_reportNothing() throws Exception {
        create(root, "/w/f");
        Recorder r = new Recorder();
        root.watch("/w", r);
        root.utimens("/w/f", 5, UTIME_OMIT); // atime alone: IN_ACCESS
        root.chown("/w/f", -1, -1); // nothing changes
        int fd = root.open("/w/f", O_RDONLY);
        root.read(fd, ByteBuffer.allocate(4));
        root.close(fd);
        root.stat("/w/f");
        root.chmod("/w", 0755); // the watched directory itself: no name
        root.mkdir("/w/sub", 0755);
        r.take();
        create(root, "/w/sub/inner"); // a grandchild: the sub-directory's watch would hear it
        assertEquals(List.of(), r.take());
    }

    @Test
    void twoWritesWithAClockThatNeverAdvances_areTwoEvents() throws Exception {
        try (Vfs frozen = Vfs.create(VfsConfig.builder().clock(FileClock.fixed(42)).build())) {
            Process p = frozen.newProcess(Credentials.root());
            p.mkdir("/w", 0755);
            Recorder r = new Recorder();
            p.watch("/w", r);
            write(p, "/w/f", 1);
            write(p, "/w/f", 1);
            assertEquals(List.of("CREATED f", "MODIFIED f", "MODIFIED f"), r.take());
        }
    }

    @Test
    void rename_isDeleteThenCreate_andAReplacedNameIsNotDeleted() throws Exception {
        create(root, "/w/a");
        create(root, "/w/b");
        create(root, "/other/c");
        Recorder w = new Recorder();
        Recorder other = new Recorder();
        root.watch("/w", w);
        root.watch("/other", other);
        root.rename("/w/a", "/w/b");
        assertEquals(List.of("DELETED a", "CREATED b"), w.take());
        root.rename("/w/b", "/other/d");
        assertEquals(List.of("DELETED b"), w.take());
        assertEquals(List.of("CREATED d"), other.take());
        root.renameAt(AT_FDCWD, "/other/c", AT_FDCWD, "/other/d", RENAME_EXCHANGE);
        assertEquals(List.of("DELETED c", "CREATED d", "DELETED d", "CREATED c"), other.take());
        write(root, "/other/c", 1); // the file that was d: still watched under its new name
        assertEquals(List.of("MODIFIED c"), other.take());
    }

    @Test
    void hardLinksInTwoWatchedDirectories_reportModifyToEach() throws Exception {
        create(root, "/w/f");
        root.link("/w/f", "/other/g");
        root.link("/w/f", "/w/f2");
        Recorder w = new Recorder();
        Recorder other = new Recorder();
        root.watch("/w", w);
        root.watch("/other", other);
        write(root, "/other/g", 1);
        assertEquals(Set.of("MODIFIED f", "MODIFIED f2"), Set.copyOf(w.take()));
        assertEquals(List.of("MODIFIED g"), other.take());
        root.unlink("/w/f");
        write(root, "/w/f2", 1);
        assertEquals(List.of("DELETED f", "MODIFIED f2"), w.take());
    }

    @Test
    void openUnlinkedFile_writesReportNothing() throws Exception {
        Recorder r = new Recorder();
        root.watch("/w", r);
        int fd = root.open("/w/f", O_RDWR | O_CREAT, 0644);
        root.unlink("/w/f");
        root.write(fd, ByteBuffer.allocate(3));
        root.close(fd);
        assertEquals(List.of("CREATED f", "DELETED f"), r.take());
    }

    @Test
    void eventsFromAnyProcess_reachEveryWatch() throws Exception {
        Process user = vfs.newProcess(Credentials.of(1000, 1000));
        Process child = user.fork();
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        root.watch("/w", a);
        user.watch("/w", b);
        create(child, "/w/x");
        write(user, "/w/x", 2);
        assertEquals(List.of("CREATED x", "MODIFIED x"), a.take());
        assertEquals(List.of("CREATED x", "MODIFIED x"), b.take());
    }

    @Test
    void watchFollowsTheDirectory_notThePath() throws Exception {
        root.mkdir("/w/d", 0777);
        Recorder r = new Recorder();
        DirectoryWatch watch = root.watch("/w/d", r);
        root.rename("/w/d", "/other/moved");
        create(root, "/other/moved/x");
        assertEquals(List.of("CREATED x"), r.take());
        assertTrue(watch.isActive());
        Stat st = root.stat("/other/moved");
        assertEquals(st.ino(), watch.ino());
        assertEquals(st.dev(), watch.dev());
    }

    @Test
    void removingTheDirectory_endsTheWatch() throws Exception {
        root.mkdir("/w/d", 0777);
        root.mkdir("/w/e", 0777);
        Recorder d = new Recorder();
        Recorder e = new Recorder();
        DirectoryWatch wd = root.watch("/w/d", d);
        DirectoryWatch we = root.watch("/w/e", e);
        root.rmdir("/w/d");
        assertFalse(wd.isActive());
        assertEquals(1, d.ended);
        root.mkdir("/w/x", 0755);
        root.rename("/w/x", "/w/e"); // replaces the empty, watched e
        assertFalse(we.isActive());
        assertEquals(1, e.ended);
        wd.close(); // after the end: nothing to do
        assertEquals(List.of(), d.take());
    }

    @Test
    void unmountingTheVolume_endsItsWatches() throws Exception {
        root.mkdir("/mnt", 0755);
        root.mount(VolumeSpec.of("v", 1 << 20), "/mnt", Set.of());
        root.mkdir("/mnt/sub", 0755);
        create(root, "/mnt/sub/f");
        Recorder top = new Recorder();
        Recorder sub = new Recorder();
        DirectoryWatch wt = root.watch("/mnt", top);
        DirectoryWatch ws = root.watch("/mnt/sub", sub);
        root.umount("/mnt");
        assertFalse(wt.isActive());
        assertFalse(ws.isActive());
        assertEquals(1, top.ended);
        assertEquals(1, sub.ended);
    }

    @Test
    void closedWatch_hearsNothing_andOtherWatchesStillHear() throws Exception {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        DirectoryWatch wa = root.watch("/w", a);
        root.watch("/w", b);
        wa.close();
        wa.close();
        assertFalse(wa.isActive());
        create(root, "/w/f");
        assertEquals(List.of(), a.take());
        assertEquals(List.of("CREATED f"), b.take());
    }

    @Test
    void closingTheLastWatch_dropsTheWatchedNames() throws Exception {
        create(root, "/w/f");
        DirectoryWatch w = root.watch("/w", new Recorder());
        Inode f = inode("/w/f");
        assertNotNull(f.watchedNames);
        w.close();
        assertNull(f.watchedNames);
        vfs.checkInvariants();
    }

    @Test
    void watch_refusesWhatInotifyRefuses() throws Exception {
        create(root, "/w/f");
        root.mkdir("/w/secret", 0700);
        Process user = vfs.newProcess(Credentials.of(1000, 1000));
        Recorder r = new Recorder();
        assertEquals(Errno.ENOTDIR, errno(() -> root.watch("/w/f", r)));
        assertEquals(Errno.ENOENT, errno(() -> root.watch("/w/missing", r)));
        assertEquals(Errno.EACCES, errno(() -> user.watch("/w/secret", r)));
        root.symlink("/w", "/link");
        root.watch("/link", r); // follows the link to /w
        create(root, "/w/g");
        assertEquals(List.of("CREATED g"), r.take());
    }

    @Test
    void listeners_runWithoutTheTreeLock_andMayCallTheKernel() throws Exception {
        List<Boolean> locked = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        root.watch(
                "/w",
                new DirectoryListener() {
                    @Override
                    public void changed(ChangeKind kind, String name) {
                        locked.add(vfs.tree.isWriteLockedByCurrentThread());
                        locked.add(vfs.tree.getReadHoldCount() > 0);
                        try {
                            seen.add(kind + " " + name + " " + root.stat("/w/" + name).size());
                            if (name.equals("f") && kind == CREATED) {
                                create(root, "/w/g"); // an event caused by a listener
                            }
                        } catch (VfsException e) {
                            seen.add(kind + " " + name + " " + e.errno());
                        }
                    }

                    @Override
                    public void watchEnded() {}
                });
        create(root, "/w/f");
        assertEquals(List.of("CREATED f 0", "CREATED g 0"), seen);
        assertFalse(locked.contains(true));
    }

    @Test
    void aThrowingListener_losesOnlyItsEvent() throws Exception {
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler old = Thread.currentThread().getUncaughtExceptionHandler();
        Thread.currentThread().setUncaughtExceptionHandler((t, e) -> reported.add(e));
        try {
            Recorder r = new Recorder();
            root.watch(
                    "/w",
                    new DirectoryListener() {
                        @Override
                        public void changed(ChangeKind kind, String name) {
                            throw new IllegalStateException("listener bug");
                        }

                        @Override
                        public void watchEnded() {}
                    });
            root.watch("/w", r);
            create(root, "/w/f");
            assertEquals(List.of("CREATED f"), r.take());
            assertEquals(1, reported.size());
        } finally {
            Thread.currentThread().setUncaughtExceptionHandler(old);
        }
    }

    @Test
    void concurrentWriters_allEventsArrive() throws Exception {
        Recorder r = new Recorder();
        root.watch("/w", r);
        int threads = 4;
        int perThread = 200;
        List<Thread> ts = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        for (int t = 0; t < threads; t++) {
            String name = "/w/t" + t;
            Thread th =
                    new Thread(
                            () -> {
                                try {
                                    int fd = root.open(name, O_WRONLY | O_CREAT, 0644);
                                    for (int i = 0; i < perThread; i++) {
                                        root.write(fd, ByteBuffer.allocate(1));
                                    }
                                    root.close(fd);
                                    root.unlink(name);
                                } catch (Throwable e) {
                                    failures.add(e);
                                }
                            });
            ts.add(th);
            th.start();
        }
        for (Thread th : ts) {
            th.join();
        }
        assertEquals(List.of(), failures);
        List<String> events = r.take();
        assertEquals(threads * (perThread + 2), events.size());
        for (int t = 0; t < threads; t++) {
            String name = "t" + t;
            List<String> mine = events.stream().filter(e -> e.endsWith(" " + name)).toList();
            assertEquals("CREATED " + name, mine.get(0), "per-name order");
            assertEquals("DELETED " + name, mine.get(mine.size() - 1), "per-name order");
        }
    }

    @Test
    void nobodyWatching_leavesNoWatchedNames() throws Exception {
        create(root, "/w/f");
        DirectoryWatch w = root.watch("/other", new Recorder());
        assertNull(inode("/w/f").watchedNames);
        assertNull(((Directory) inode("/w")).watches);
        w.close();
        assertNull(((Directory) inode("/other")).watches);
    }

    private Inode inode(String path) throws VfsException {
        var l = root.readLock();
        try {
            return root.namei("test", AT_FDCWD, path).walkParent().lookupExisting(false);
        } finally {
            l.unlock();
        }
    }

    private static Errno errno(SmokeExamples.ThrowingRunnable r) {
        return assertThrows(VfsException.class, r::run).errno();
    }
}
