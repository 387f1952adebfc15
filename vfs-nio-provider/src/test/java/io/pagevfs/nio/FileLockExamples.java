package io.pagevfs.nio;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.*;

import io.pagevfs.core.Credentials;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.FileLockInterruptionException;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FileLockExamples {
    private static PageVfsFileSystem newFs() throws Exception {
        PageVfsFileSystem fs = PageVfs.newFileSystem();
        Files.write(fs.getPath("/f"), new byte[100]);
        Files.setPosixFilePermissions(
                fs.getPath("/f"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        return fs;
    }

    @Test
    void sameProcess_anyOverlap_isOverlappingFileLockException() throws Exception {
        try (PageVfsFileSystem fs = newFs();
                FileChannel a = FileChannel.open(fs.getPath("/f"), READ, WRITE);
                FileChannel b = FileChannel.open(fs.getPath("/f"), READ, WRITE)) {
            FileLock l = a.lock(0, 10, true);
            assertThrows(OverlappingFileLockException.class, () -> b.tryLock(5, 10, true));
            assertThrows(OverlappingFileLockException.class, () -> a.lock(9, 1, true));
            FileLock other = b.tryLock(10, 10, false);
            assertNotNull(other);
            l.release();
            assertFalse(l.isValid());
            assertNotNull(b.tryLock(0, 10, false));
        }
    }

    @Test
    void otherProcess_conflictsReally_andWaitsForRelease() throws Exception {
        try (PageVfsFileSystem fs = newFs();
                PageVfsFileSystem other = fs.newView(Credentials.of(1001, 1001));
                FileChannel mine = FileChannel.open(fs.getPath("/f"), READ, WRITE);
                FileChannel theirs = FileChannel.open(other.getPath("/f"), READ, WRITE)) {
            FileLock l = mine.lock(0, 50, false);
            assertNull(theirs.tryLock(10, 10, true));
            FileLock shared = theirs.tryLock(60, 10, true);
            assertNotNull(shared);
            CompletableFuture<FileLock> waiting =
                    CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    return theirs.lock(0, 10, false);
                                } catch (Exception e) {
                                    throw new RuntimeException(e);
                                }
                            });
            Thread.sleep(50);
            assertFalse(waiting.isDone());
            l.release();
            FileLock got = waiting.get(5, TimeUnit.SECONDS);
            assertTrue(got.isValid());
            mine.close();
            assertFalse(l.isValid());
        }
    }

    @Test
    void closingTheChannel_releasesItsLocks() throws Exception {
        try (PageVfsFileSystem fs = newFs();
                PageVfsFileSystem other = fs.newView(Credentials.of(1001, 1001))) {
            FileChannel mine = FileChannel.open(fs.getPath("/f"), READ, WRITE);
            FileLock l = mine.lock();
            try (FileChannel theirs = FileChannel.open(other.getPath("/f"), READ, WRITE)) {
                assertNull(theirs.tryLock());
                mine.close();
                assertFalse(l.isValid());
                assertNotNull(theirs.tryLock());
            }
        }
    }

    @Test
    void interruptWhileWaiting_closesChannelWithFileLockInterruptionException() throws Exception {
        try (PageVfsFileSystem fs = newFs();
                PageVfsFileSystem other = fs.newView(Credentials.of(1001, 1001));
                FileChannel mine = FileChannel.open(fs.getPath("/f"), READ, WRITE, CREATE)) {
            mine.lock();
            FileChannel theirs = FileChannel.open(other.getPath("/f"), READ, WRITE);
            CountDownLatch started = new CountDownLatch(1);
            Throwable[] seen = new Throwable[1];
            Thread t =
                    new Thread(
                            () -> {
                                started.countDown();
                                try {
                                    theirs.lock();
                                } catch (Throwable e) {
                                    seen[0] = e;
                                }
                            });
            t.start();
            started.await();
            Thread.sleep(50);
            t.interrupt();
            t.join(5000);
            assertInstanceOf(FileLockInterruptionException.class, seen[0]);
            assertFalse(theirs.isOpen());
        }
    }
}
