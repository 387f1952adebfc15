package io.pagevfs.nio;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;
import static org.junit.jupiter.api.Assertions.*;

import io.pagevfs.core.Credentials;
import io.pagevfs.core.FileClock;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.ClosedFileSystemException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardOpenOption;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PageVfsWatchServiceTest {
    private PageVfsFileSystem fs;
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        fs = PageVfs.newFileSystem(PageVfsConfig.builder().workingDirectory("/home").build());
        dir = Files.createDirectory(fs.getPath("/home/w"));
    }

    @AfterEach
    void tearDown() throws Exception {
        fs.kernel().checkInvariants();
        fs.close();
    }

    /** The pending events of a key as "KIND name xCOUNT" strings. */
    private static List<String> describe(List<WatchEvent<?>> events) {
        List<String> out = new ArrayList<>();
        for (WatchEvent<?> e : events) {
            out.add(e.kind().name() + " " + e.context() + " x" + e.count());
        }
        return out;
    }

    private static List<String> drain(WatchService ws, WatchKey expected) {
        WatchKey k = ws.poll();
        assertSame(expected, k, "the signalled key");
        List<String> out = describe(k.pollEvents());
        assertTrue(k.reset());
        return out;
    }

    private static void writeOnce(Path p) throws Exception {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1}));
        }
    }

    @Test
    void createModifyDelete_areReportedWithRelativeNames() throws Exception {
        try (WatchService ws = fs.newWatchService()) {
            WatchKey key = dir.register(ws, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
            assertSame(dir, key.watchable());
            assertNull(ws.poll(), "nothing happened yet");
            Path f = dir.resolve("f.txt");
            Files.createFile(f);
            writeOnce(f);
            Files.delete(f);
            WatchKey k = ws.poll();
            assertSame(key, k);
            List<WatchEvent<?>> events = k.pollEvents();
            assertEquals(
                    List.of(
                            "ENTRY_CREATE f.txt x1",
                            "ENTRY_MODIFY f.txt x1",
                            "ENTRY_DELETE f.txt x1"),
                    describe(events));
            Path context = (Path) events.get(0).context();
            assertFalse(context.isAbsolute());
            assertSame(fs, context.getFileSystem());
            assertEquals(f, dir.resolve(context));
            assertTrue(k.reset());
            assertNull(ws.poll());
        }
    }

    @Test
    void onlyRegisteredKinds_areReported() throws Exception {
        try (WatchService ws = fs.newWatchService()) {
            WatchKey key = dir.register(ws, ENTRY_DELETE, OVERFLOW);
            Path f = Files.createFile(dir.resolve("f"));
            writeOnce(f);
            assertNull(ws.poll());
            Files.delete(f);
            assertEquals(List.of("ENTRY_DELETE f x1"), drain(ws, key));
        }
    }

    @Test
    void twoModificationsWithinOneMillisecond_areBothCounted() throws Exception {
        fs.close();
        FileClock frozen = FileClock.fixed(1_700_000_000_000_000_000L);
        fs =
                PageVfs.newFileSystem(
                        PageVfsConfig.builder().clock(frozen).workingDirectory("/home").build());
        dir = Files.createDirectory(fs.getPath("/home/w"));
        Path f = Files.createFile(dir.resolve("f"));
        FileTime before = Files.getLastModifiedTime(f);
        try (WatchService ws = fs.newWatchService()) {
            WatchKey key = dir.register(ws, ENTRY_MODIFY);
            writeOnce(f);
            writeOnce(f);
            assertEquals(before, Files.getLastModifiedTime(f), "a timestamp sees no change");
            assertEquals(List.of("ENTRY_MODIFY f x2"), drain(ws, key));
            writeOnce(f);
            assertEquals(List.of("ENTRY_MODIFY f x1"), drain(ws, key));
        }
    }

    @Test
    void events_coalesceAsTheJdksDo() throws Exception {
        try (WatchService ws = fs.newWatchService()) {
            WatchKey key = dir.register(ws, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
            Path a = Files.createFile(dir.resolve("a"));
            writeOnce(a);
            Files.createFile(dir.resolve("b"));
            writeOnce(a); // a's last pending event is a modification: counted there
            Files.delete(dir.resolve("b"));
            Files.createFile(dir.resolve("b"));
            assertEquals(
                    List.of(
                            "ENTRY_CREATE a x1",
                            "ENTRY_MODIFY a x2",
                            "ENTRY_CREATE b x1",
                            "ENTRY_DELETE b x1",
                            "ENTRY_CREATE b x1"),
                    drain(ws, key));
        }
    }

    @Test
    void morePendingEventsThanTheBound_becomeOneOverflow() throws Exception {
        try (WatchService ws = fs.newWatchService()) {
            WatchKey key = dir.register(ws, ENTRY_CREATE);
            int n = PageVfsWatchKey.MAX_EVENTS + 88;
            for (int i = 0; i < n; i++) {
                Files.createFile(dir.resolve("f" + i));
            }
            List<WatchEvent<?>> events = ws.poll().pollEvents();
            assertEquals(1, events.size());
            assertSame(OVERFLOW, events.get(0).kind());
            assertNull(events.get(0).context());
            assertEquals(88, events.get(0).count());
            key.reset();
            Files.createFile(dir.resolve("after"));
            assertEquals(List.of("ENTRY_CREATE after x1"), drain(ws, key));
        }
    }

    @Test
    void changesFromAnotherView_reachTheWatcher() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        try (WatchService ws = fs.newWatchService();
                PageVfsFileSystem other = fs.newView(Credentials.of(2000, 2000))) {
            WatchKey key = dir.register(ws, ENTRY_CREATE, ENTRY_MODIFY);
            Path theirs = other.getPath("/home/w/theirs");
            Files.writeString(theirs, "x");
            assertEquals(
                    List.of("ENTRY_CREATE theirs x1", "ENTRY_MODIFY theirs x1"), drain(ws, key));
            Files.setLastModifiedTime(theirs, FileTime.fromMillis(0));
            assertEquals(List.of("ENTRY_MODIFY theirs x1"), drain(ws, key));
        }
    }

    @Test
    void aWatchServiceOfAnotherViewOfTheKernel_acceptsThisViewsPaths() throws Exception {
        try (PageVfsFileSystem other = fs.newView(Credentials.root());
                WatchService ws = other.newWatchService()) {
            WatchKey key = dir.register(ws, ENTRY_CREATE);
            Files.createFile(dir.resolve("f"));
            assertEquals(List.of("ENTRY_CREATE f x1"), drain(ws, key));
        }
    }

    @Test
    void signalledKey_isQueuedOnceUntilReset() throws Exception {
        try (WatchService ws = fs.newWatchService()) {
            WatchKey key = dir.register(ws, ENTRY_CREATE);
            Files.createFile(dir.resolve("a"));
            Files.createFile(dir.resolve("b"));
            assertSame(key, ws.poll());
            assertNull(ws.poll(), "signalled: not queued again");
            Files.createFile(dir.resolve("c"));
            assertNull(ws.poll());
            assertEquals(3, key.pollEvents().size());
            Files.createFile(dir.resolve("d"));
            assertNull(ws.poll(), "still signalled until reset");
            assertTrue(key.reset()); // events pending: queued again at once
            assertSame(key, ws.poll());
            assertEquals(List.of("ENTRY_CREATE d x1"), describe(key.pollEvents()));
            assertTrue(key.reset());
            assertNull(ws.poll());
        }
    }

    @Test
    void cancel_invalidatesAndSilencesTheKey() throws Exception {
        try (WatchService ws = fs.newWatchService()) {
            WatchKey key = dir.register(ws, ENTRY_CREATE);
            key.cancel();
            key.cancel();
            assertFalse(key.isValid());
            assertFalse(key.reset());
            Files.createFile(dir.resolve("f"));
            assertNull(ws.poll());
            WatchKey again = dir.register(ws, ENTRY_CREATE);
            assertNotSame(key, again, "a cancelled key is not reused");
            assertTrue(again.isValid());
        }
    }

    @Test
    void cancelOfASignalledKey_leavesItsEventsToRead() throws Exception {
        try (WatchService ws = fs.newWatchService()) {
            WatchKey key = dir.register(ws, ENTRY_CREATE);
            Files.createFile(dir.resolve("f"));
            key.cancel();
            assertSame(key, ws.poll());
            assertEquals(List.of("ENTRY_CREATE f x1"), describe(key.pollEvents()));
            assertFalse(key.reset());
        }
    }

    @Test
    void deletingTheWatchedDirectory_invalidatesAndSignalsTheKey() throws Exception {
        try (WatchService ws = fs.newWatchService()) {
            Path sub = Files.createDirectory(dir.resolve("sub"));
            WatchKey parent = dir.register(ws, ENTRY_DELETE);
            WatchKey key = sub.register(ws, ENTRY_CREATE);
            Files.delete(sub);
            assertFalse(key.isValid());
            List<WatchKey> signalled = List.of(ws.poll(), ws.poll());
            assertTrue(signalled.contains(key) && signalled.contains(parent));
            assertEquals(List.of(), key.pollEvents());
            assertFalse(key.reset());
            assertEquals(List.of("ENTRY_DELETE sub x1"), describe(parent.pollEvents()));
        }
    }

    @Test
    void renamingTheWatchedDirectory_keepsTheKey() throws Exception {
        try (WatchService ws = fs.newWatchService()) {
            Path sub = Files.createDirectory(dir.resolve("sub"));
            WatchKey key = sub.register(ws, ENTRY_CREATE);
            Path moved = Files.move(sub, fs.getPath("/home/moved"));
            Files.createFile(moved.resolve("f"));
            assertEquals(List.of("ENTRY_CREATE f x1"), drain(ws, key));
            assertEquals(sub, key.watchable(), "the path it was registered by");
        }
    }

    @Test
    void registeringTheSameDirectoryAgain_returnsTheSameKeyWithTheNewKinds() throws Exception {
        try (WatchService ws = fs.newWatchService()) {
            WatchKey key = dir.register(ws, ENTRY_CREATE);
            Files.createSymbolicLink(fs.getPath("/home/link"), dir);
            WatchKey again = fs.getPath("/home/link").register(ws, ENTRY_DELETE);
            assertSame(key, again);
            Path f = Files.createFile(dir.resolve("f"));
            assertNull(ws.poll(), "create is no longer registered");
            Files.delete(f);
            assertEquals(List.of("ENTRY_DELETE f x1"), drain(ws, key));
        }
    }

    @Test
    void register_refusesWhatTheJdkRefuses() throws Exception {
        Path file = Files.createFile(dir.resolve("file"));
        try (WatchService ws = fs.newWatchService();
                WatchService def = FileSystems.getDefault().newWatchService();
                PageVfsFileSystem otherFs = PageVfs.newFileSystem();
                WatchService foreign = otherFs.newWatchService()) {
            assertThrows(NotDirectoryException.class, () -> file.register(ws, ENTRY_CREATE));
            assertThrows(
                    NoSuchFileException.class,
                    () -> dir.resolve("none").register(ws, ENTRY_CREATE));
            assertThrows(IllegalArgumentException.class, () -> dir.register(ws));
            assertThrows(IllegalArgumentException.class, () -> dir.register(ws, OVERFLOW));
            WatchEvent.Kind<Object> custom =
                    new WatchEvent.Kind<>() {
                        @Override
                        public String name() {
                            return "CUSTOM";
                        }

                        @Override
                        public Class<Object> type() {
                            return Object.class;
                        }
                    };
            assertThrows(UnsupportedOperationException.class, () -> dir.register(ws, custom));
            WatchEvent.Modifier odd = () -> "ODD";
            assertThrows(
                    UnsupportedOperationException.class,
                    () -> dir.register(ws, new WatchEvent.Kind<?>[] {ENTRY_CREATE}, odd));
            assertThrows(
                    NullPointerException.class,
                    () ->
                            dir.register(
                                    ws,
                                    new WatchEvent.Kind<?>[] {ENTRY_CREATE},
                                    (WatchEvent.Modifier) null));
            assertThrows(ProviderMismatchException.class, () -> dir.register(def, ENTRY_CREATE));
            assertThrows(
                    ProviderMismatchException.class, () -> dir.register(foreign, ENTRY_CREATE));
        }
    }

    @Test
    void sensitivityModifiers_areAcceptedAsTheJdkAcceptsThem() throws Exception {
        Class<?> c = Class.forName("com.sun.nio.file.SensitivityWatchEventModifier");
        WatchEvent.Modifier high =
                (WatchEvent.Modifier)
                        Arrays.stream(c.getEnumConstants())
                                .filter(m -> ((WatchEvent.Modifier) m).name().equals("HIGH"))
                                .findFirst()
                                .orElseThrow();
        try (WatchService ws = fs.newWatchService()) {
            WatchKey key = dir.register(ws, new WatchEvent.Kind<?>[] {ENTRY_CREATE}, high);
            Files.createFile(dir.resolve("f"));
            assertEquals(List.of("ENTRY_CREATE f x1"), drain(ws, key));
        }
    }

    @Test
    void closedService_throwsFromEveryCallAndInvalidatesItsKeys() throws Exception {
        WatchService ws = fs.newWatchService();
        WatchKey key = dir.register(ws, ENTRY_CREATE);
        Files.createFile(dir.resolve("f"));
        ws.close();
        ws.close();
        assertFalse(key.isValid());
        assertThrows(ClosedWatchServiceException.class, ws::poll);
        assertThrows(ClosedWatchServiceException.class, () -> ws.poll(1, TimeUnit.MILLISECONDS));
        assertThrows(ClosedWatchServiceException.class, ws::take);
        assertThrows(ClosedWatchServiceException.class, () -> dir.register(ws, ENTRY_CREATE));
    }

    @Test
    void close_wakesAThreadBlockedInTake() throws Exception {
        WatchService ws = fs.newWatchService();
        dir.register(ws, ENTRY_CREATE);
        CompletableFuture<Throwable> taker = new CompletableFuture<>();
        Thread t =
                new Thread(
                        () -> {
                            try {
                                ws.take();
                                taker.complete(null);
                            } catch (Throwable e) {
                                taker.complete(e);
                            }
                        });
        t.start();
        awaitWaiting(t);
        ws.close();
        assertInstanceOf(ClosedWatchServiceException.class, taker.get(10, TimeUnit.SECONDS));
    }

    @Test
    void take_blocksWithoutSpinning_andWakesOnAChange() throws Exception {
        try (WatchService ws = fs.newWatchService()) {
            WatchKey key = dir.register(ws, ENTRY_CREATE);
            CompletableFuture<WatchKey> taken = new CompletableFuture<>();
            Thread t =
                    new Thread(
                            () -> {
                                try {
                                    taken.complete(ws.take());
                                } catch (Throwable e) {
                                    taken.completeExceptionally(e);
                                }
                            },
                            "taker");
            t.start();
            awaitWaiting(t);
            assertNoOtherPageVfsThreads(t);
            Files.createFile(dir.resolve("f"));
            assertSame(key, taken.get(10, TimeUnit.SECONDS));
            assertEquals(List.of("ENTRY_CREATE f x1"), describe(key.pollEvents()));
        }
    }

    @Test
    void pollWithTimeout_returnsNullWhenNothingHappens() throws Exception {
        try (WatchService ws = fs.newWatchService()) {
            dir.register(ws, ENTRY_CREATE);
            assertNull(ws.poll(10, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void closingTheFileSystem_closesItsWatchServices() throws Exception {
        WatchService ws = fs.newWatchService();
        WatchKey key = dir.register(ws, ENTRY_CREATE);
        PageVfsFileSystem view = fs.newView(Credentials.root());
        WatchService viewWs = view.newWatchService();
        fs.close();
        assertFalse(key.isValid());
        assertThrows(ClosedWatchServiceException.class, ws::poll);
        assertThrows(ClosedWatchServiceException.class, viewWs::poll);
        assertThrows(ClosedFileSystemException.class, fs::newWatchService);
        fs = PageVfs.newFileSystem(); // for tearDown
    }

    /** Waits until {@code t} parks (a blocked take() waits on a condition; it never spins). */
    private static void awaitWaiting(Thread t) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Thread.State s = t.getState();
            if (s == Thread.State.WAITING) {
                return;
            }
            assertNotEquals(Thread.State.TERMINATED, s);
            Thread.onSpinWait();
        }
        fail("the taking thread never parked: " + t.getState());
    }

    /** No thread runs PageVFS code but this one and {@code taker}: there is no polling thread. */
    private static void assertNoOtherPageVfsThreads(Thread taker) {
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
            Thread th = e.getKey();
            if (th == Thread.currentThread() || th == taker) {
                continue;
            }
            for (StackTraceElement frame : e.getValue()) {
                assertFalse(
                        frame.getClassName().startsWith("io.pagevfs.nio.PageVfsWatch"),
                        "thread " + th.getName() + " runs " + frame);
            }
        }
    }
}
