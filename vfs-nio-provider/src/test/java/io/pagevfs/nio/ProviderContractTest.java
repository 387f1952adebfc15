package io.pagevfs.nio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pagevfs.core.Credentials;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedDirectoryStreamException;
import java.nio.file.ClosedFileSystemException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.StandardOpenOption;
import java.nio.file.spi.FileSystemProvider;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The provider's contract with java.nio.file beyond single operations: discovery, URIs, closing,
 * foreign paths, threads and interruption.
 */
class ProviderContractTest {
    // ---- discovery and URIs ---------------------------------------------------------------

    @Test
    void serviceLoader_installsThePageVfsProvider() {
        FileSystemProvider found = null;
        for (FileSystemProvider p : FileSystemProvider.installedProviders()) {
            if (p.getScheme().equals("pagevfs")) {
                found = p;
            }
        }
        assertTrue(found instanceof PageVfsFileSystemProvider, "installed: " + found);
        assertSame(found, PageVfs.provider());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "with space",
                "caf\u00e9",
                "\u65e5\u672c\u8a9e",
                "100%",
                "%41",
                "a#b",
                "q?x=1",
                "semi;colon",
                "plus+and&",
                "\ud83d\ude00",
                "[brackets]"
            })
    void uri_ofOddNames_roundTripsAndIsEncodedAsTheJdkEncodesIt(String name) throws Exception {
        try (PageVfsFileSystem fs =
                PageVfs.newFileSystem(
                        "uri-" + Integer.toHexString(name.hashCode()), PageVfsConfig.defaults())) {
            Path dir = Files.createDirectory(fs.getPath("/d"));
            Path file = Files.writeString(dir.resolve(name), "x");
            URI uri = file.toUri();
            assertEquals(file, Path.of(uri));
            assertEquals(file, fs.provider().getPath(URI.create(uri.toString())));
            assertEquals(jdkRawPath(name), uri.getRawPath().substring("/d/".length()));
            assertEquals(
                    dir.resolve(name + "-dir"),
                    Path.of(Files.createDirectory(dir.resolve(name + "-dir")).toUri()));
        }
    }

    /** How the JDK's default provider encodes the name in a file: URI. */
    private static String jdkRawPath(String name) {
        String raw = Path.of("/d", name).toUri().getRawPath();
        return raw.substring("/d/".length());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "file:///a",
                "pagevfs:opaque",
                "pagevfs:///a",
                "pagevfs://contract-uris",
                "pagevfs://contract-uris/a?query",
                "pagevfs://contract-uris/a#fragment",
                "pagevfs://contract-uris/a?",
            })
    void getPath_ofMalformedUri_throwsIllegalArgumentException(String uri) throws Exception {
        try (var fs = PageVfs.newFileSystem("contract-uris", PageVfsConfig.defaults())) {
            assertThrows(
                    IllegalArgumentException.class, () -> fs.provider().getPath(URI.create(uri)));
        }
    }

    @Test
    void getPath_ofUnknownFileSystem_throwsFileSystemNotFound() {
        assertThrows(
                FileSystemNotFoundException.class,
                () -> Path.of(URI.create("pagevfs://no-such-filesystem/a")));
    }

    // ---- closing -----------------------------------------------------------------------------

    @Test
    void close_closesEverythingOpenedThroughTheFileSystem() throws Exception {
        PageVfsFileSystem fs = PageVfs.newFileSystem();
        Path file = Files.writeString(fs.getPath("/f"), "data");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        SeekableByteChannel byteChannel = Files.newByteChannel(file);
        InputStream in = Files.newInputStream(file);
        OutputStream out = Files.newOutputStream(fs.getPath("/g"));
        DirectoryStream<Path> dir = Files.newDirectoryStream(fs.getPath("/"));
        var async = java.nio.channels.AsynchronousFileChannel.open(file);

        fs.close();

        assertFalse(fs.isOpen());
        assertFalse(channel.isOpen());
        assertFalse(byteChannel.isOpen());
        assertFalse(async.isOpen());
        assertThrows(ClosedChannelException.class, () -> channel.read(ByteBuffer.allocate(1)));
        assertThrows(IOException.class, in::read);
        assertThrows(IOException.class, () -> out.write(1));
        assertThrows(ClosedDirectoryStreamException.class, dir::iterator);
        assertThrows(ClosedFileSystemException.class, () -> fs.getPath("/f"));
        assertThrows(ClosedFileSystemException.class, () -> Files.newByteChannel(file));
        assertThrows(ClosedFileSystemException.class, () -> Files.readAttributes(file, "size"));
        assertThrows(ClosedFileSystemException.class, fs::getRootDirectories);
        fs.close(); // idempotent
    }

    @Test
    void closingAView_closesItsResourcesButNotThePrimary() throws Exception {
        try (PageVfsFileSystem fs = PageVfs.newFileSystem()) {
            Path file = Files.writeString(fs.getPath("/f"), "data");
            FileChannel mine = FileChannel.open(file);
            PageVfsFileSystem view = fs.newView(Credentials.of(1001, 1001));
            FileChannel theirs = FileChannel.open(view.getPath("/f"));

            view.close();

            assertFalse(view.isOpen());
            assertFalse(theirs.isOpen());
            assertTrue(fs.isOpen());
            assertTrue(mine.isOpen());
            assertEquals(4, mine.size());
            assertEquals("data", Files.readString(file));
            assertThrows(ClosedFileSystemException.class, () -> view.getPath("/f"));
        }
    }

    @Test
    void closingThePrimary_closesItsViews() throws Exception {
        PageVfsFileSystem fs = PageVfs.newFileSystem();
        PageVfsFileSystem view = fs.newView(Credentials.of(1001, 1001));
        fs.close();
        assertFalse(view.isOpen());
    }

    // ---- foreign paths -------------------------------------------------------------------------

    @Test
    void foreignPaths_throwProviderMismatchException() throws Exception {
        try (PageVfsFileSystem fs = PageVfs.newFileSystem()) {
            Path mine = Files.writeString(fs.getPath("/f"), "x");
            Path foreign = Path.of("/tmp/not-pagevfs");
            FileSystemProvider p = fs.provider();
            assertThrows(
                    ProviderMismatchException.class, () -> p.newByteChannel(foreign, Set.of()));
            assertThrows(ProviderMismatchException.class, () -> p.checkAccess(foreign));
            assertThrows(ProviderMismatchException.class, () -> p.delete(foreign));
            assertThrows(ProviderMismatchException.class, () -> p.copy(mine, foreign));
            assertThrows(ProviderMismatchException.class, () -> p.move(mine, foreign));
            assertThrows(ProviderMismatchException.class, () -> mine.resolve(foreign));
            assertThrows(ProviderMismatchException.class, () -> mine.relativize(foreign));
            assertThrows(
                    ProviderMismatchException.class,
                    () -> Files.createSymbolicLink(fs.getPath("/l"), foreign));
            assertThrows(
                    ProviderMismatchException.class,
                    () -> Files.createLink(fs.getPath("/h"), foreign));
            assertFalse(mine.startsWith(foreign));
            assertFalse(mine.equals(foreign));
            assertFalse(Files.isSameFile(mine, foreign));
        }
    }

    // ---- threads and interruption ------------------------------------------------------------

    @Test
    void eightThreads_writeAndReadTheirOwnFilesAndOneSharedFile() throws Exception {
        int threads = 8;
        int blocks = 64;
        int blockSize = 1000;
        try (PageVfsFileSystem fs =
                PageVfs.newFileSystem(PageVfsConfig.builder().pageSize(512).build())) {
            Path shared = Files.createFile(fs.getPath("/shared"));
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                tasks.add(
                        () -> {
                            Path own = fs.getPath("/own-" + id);
                            byte[] block = block(id, blockSize);
                            try (FileChannel o =
                                            FileChannel.open(
                                                    own,
                                                    StandardOpenOption.CREATE_NEW,
                                                    StandardOpenOption.WRITE,
                                                    StandardOpenOption.READ);
                                    FileChannel s =
                                            FileChannel.open(
                                                    shared,
                                                    StandardOpenOption.WRITE,
                                                    StandardOpenOption.READ)) {
                                for (int b = 0; b < blocks; b++) {
                                    o.write(ByteBuffer.wrap(block));
                                    // block b of thread id in the shared file: interleaved slots
                                    s.write(
                                            ByteBuffer.wrap(block),
                                            (long) (b * threads + id) * blockSize);
                                    ByteBuffer back = ByteBuffer.allocate(blockSize);
                                    o.read(back, (long) b * blockSize);
                                    assertArrayEquals(block, back.array());
                                }
                            }
                            return null;
                        });
            }
            runAll(tasks);
            for (int t = 0; t < threads; t++) {
                byte[] own = Files.readAllBytes(fs.getPath("/own-" + t));
                assertEquals(blocks * blockSize, own.length);
                for (int b = 0; b < blocks; b++) {
                    assertArrayEquals(
                            block(t, blockSize),
                            java.util.Arrays.copyOfRange(own, b * blockSize, (b + 1) * blockSize));
                }
            }
            byte[] all = Files.readAllBytes(shared);
            assertEquals((long) threads * blocks * blockSize, all.length);
            for (int slot = 0; slot < threads * blocks; slot++) {
                assertArrayEquals(
                        block(slot % threads, blockSize),
                        java.util.Arrays.copyOfRange(
                                all, slot * blockSize, (slot + 1) * blockSize));
            }
        }
    }

    @Test
    void manyThreadsAppending_keepEveryRecordWhole() throws Exception {
        int threads = 16;
        int records = 500;
        try (PageVfsFileSystem fs =
                PageVfs.newFileSystem(PageVfsConfig.builder().pageSize(512).build())) {
            Path log = fs.getPath("/log");
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                tasks.add(
                        () -> {
                            try (FileChannel c =
                                    FileChannel.open(
                                            log,
                                            StandardOpenOption.CREATE,
                                            StandardOpenOption.APPEND)) {
                                for (int r = 0; r < records; r++) {
                                    assertEquals(
                                            RECORD_LENGTH, c.write(ByteBuffer.wrap(record(id, r))));
                                }
                            }
                            return null;
                        });
            }
            runAll(tasks);
            byte[] all = Files.readAllBytes(log);
            assertEquals((long) threads * records * RECORD_LENGTH, all.length);
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < all.length; i += RECORD_LENGTH) {
                String rec = new String(all, i, RECORD_LENGTH, StandardCharsets.US_ASCII);
                int id = Integer.parseInt(rec.substring(1, 3));
                int r = Integer.parseInt(rec.substring(4, 8));
                assertEquals(
                        new String(record(id, r), StandardCharsets.US_ASCII),
                        rec,
                        "torn record at " + i);
                assertTrue(seen.add(rec), "duplicate record " + rec);
            }
            assertEquals(threads * records, seen.size());
        }
    }

    @Test
    void interruptedBeforeRead_closesTheChannelWithClosedByInterrupt() throws Exception {
        try (PageVfsFileSystem fs = PageVfs.newFileSystem()) {
            Path file = Files.writeString(fs.getPath("/f"), "data");
            FileChannel c = FileChannel.open(file);
            Thread.currentThread().interrupt();
            try {
                assertThrows(
                        ClosedByInterruptException.class, () -> c.read(ByteBuffer.allocate(4)));
                assertTrue(
                        Thread.currentThread().isInterrupted(), "the interrupt status stays set");
            } finally {
                Thread.interrupted();
            }
            assertFalse(c.isOpen());
            assertThrows(ClosedChannelException.class, () -> c.read(ByteBuffer.allocate(4)));
            assertEquals("data", Files.readString(file));
        }
    }

    private static final int RECORD_LENGTH = 24;

    /** "[TT:RRRR]" and filler to RECORD_LENGTH, ending in a newline. */
    private static byte[] record(int thread, int r) {
        String s = String.format("[%02d:%04d]", thread, r);
        String filler = Character.toString('a' + thread).repeat(RECORD_LENGTH - s.length() - 1);
        return (s + filler + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] block(int id, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (id * 31 + i);
        }
        return b;
    }

    private static void runAll(List<Callable<Void>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<Void>> futures = pool.invokeAll(tasks);
            for (Future<Void> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
    }
}
