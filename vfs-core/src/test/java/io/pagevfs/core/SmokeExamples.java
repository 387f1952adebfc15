package io.pagevfs.core;

import static io.pagevfs.core.Fcntl.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SmokeExamples {
    private static Errno errno(ThrowingRunnable r) {
        VfsException e = assertThrows(VfsException.class, r::run);
        return e.errno();
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void createWriteReadStat() throws Exception {
        try (Vfs vfs = Vfs.create(VfsConfig.builder().pageSize(512).build())) {
            Process root = vfs.newProcess(Credentials.root());
            root.mkdir("/home", 0755);
            root.mkdir("/home/alice", 0700);
            root.chown("/home/alice", 1000, 1000);
            Process alice = vfs.newProcess(Credentials.of(1000, 1000));
            Process bob = vfs.newProcess(Credentials.of(1001, 1001));
            int fd = alice.open("/home/alice/notes", O_CREAT | O_RDWR, 0644);
            byte[] data = "hello, pages".getBytes(StandardCharsets.UTF_8);
            assertEquals(data.length, alice.write(fd, data, 0, data.length));
            ByteBuffer buf = ByteBuffer.allocate(100);
            assertEquals(data.length, alice.pread(fd, buf, 0));
            assertEquals(
                    "hello, pages",
                    new String(buf.array(), 0, data.length, StandardCharsets.UTF_8));
            alice.close(fd);
            assertEquals(Errno.EACCES, errno(() -> bob.open("/home/alice/notes", O_RDONLY)));
            assertEquals(Errno.ENOENT, errno(() -> alice.stat("/home/alice/missing")));
            assertEquals(Errno.ENOTDIR, errno(() -> alice.stat("/home/alice/notes/x")));
            Stat st = alice.stat("/home/alice/notes");
            assertEquals(data.length, st.size());
            assertEquals(1, st.nlink());
            assertEquals(0100644, st.mode());
            vfs.checkInvariants();
        }
    }

    @Test
    void readOnlyMountAndSparseFile() throws Exception {
        try (Vfs vfs = Vfs.create()) {
            Process root = vfs.newProcess(Credentials.root());
            root.mkdir("/mnt", 0755);
            root.mount(VolumeSpec.of("data", 1 << 20), "/mnt", Set.of());
            int fd = root.open("/mnt/f", O_CREAT | O_WRONLY, 0644);
            root.pwrite(fd, ByteBuffer.wrap(new byte[] {1}), 1L << 40);
            Stat st = root.fstat(fd);
            assertEquals((1L << 40) + 1, st.size());
            assertEquals(8, st.blocks());
            assertEquals(
                    Errno.EBUSY, errno(() -> root.remount("/mnt", Set.of(MountFlag.READ_ONLY))));
            root.close(fd);
            root.remount("/mnt", Set.of(MountFlag.READ_ONLY));
            assertEquals(Errno.EROFS, errno(() -> root.open("/mnt/f", O_WRONLY)));
            assertEquals(Errno.EROFS, errno(() -> root.unlink("/mnt/missing")));
            assertEquals(Errno.EEXIST, errno(() -> root.mkdir("/mnt/f", 0755)));
            assertEquals(Errno.ENOENT, errno(() -> root.chmod("/mnt/missing", 0)));
            assertEquals(Errno.EXDEV, errno(() -> root.rename("/mnt/f", "/g")));
            assertEquals(Errno.EBUSY, errno(() -> root.rmdir("/mnt")));
            root.umount("/mnt");
            vfs.checkInvariants();
        }
    }

    @Test
    void symlinkLoopAndDotDot() throws Exception {
        try (Vfs vfs = Vfs.create()) {
            Process root = vfs.newProcess(Credentials.root());
            root.symlink("a", "/b");
            root.symlink("b", "/a");
            assertEquals(Errno.ELOOP, errno(() -> root.stat("/a")));
            root.mkdir("/d", 0755);
            root.mkdir("/d/e", 0755);
            root.symlink("/d/e", "/link");
            assertEquals(root.stat("/d").ino(), root.stat("/link/..").ino());
            root.chdir("/d/e");
            assertEquals("/d/e", root.getcwd());
            assertEquals(root.stat("/").ino(), root.stat("../../../..").ino());
            vfs.checkInvariants();
        }
    }

    @Test
    void openTruncate_ofSetuidFileByNonRoot_clearsSetuidWithoutDeadlock() throws Exception {
        try (Vfs vfs = Vfs.create()) {
            Process root = vfs.newProcess(Credentials.root());
            root.mkdir("/w", 0777);
            root.close(root.open("/w/f", O_CREAT | O_WRONLY, 0666));
            root.chmod("/w/f", 04777);
            Process user = vfs.newProcess(Credentials.of(1000, 1000));
            assertTimeoutPreemptively(
                    java.time.Duration.ofSeconds(10),
                    () -> user.close(user.open("/w/f", O_WRONLY | O_TRUNC)));
            assertEquals(0100777, root.stat("/w/f").mode());
            vfs.checkInvariants();
        }
    }

    @Test
    void futimens_setsTheTimesOfAnOpenFile() throws Exception {
        try (Vfs vfs = Vfs.create()) {
            Process root = vfs.newProcess(Credentials.root());
            int fd = root.open("/f", O_CREAT | O_RDONLY, 0644);
            root.futimens(fd, 5, 7);
            assertEquals(5, root.stat("/f").atimeNanos());
            assertEquals(7, root.stat("/f").mtimeNanos());
            root.futimens(fd, UTIME_OMIT, 9);
            assertEquals(5, root.stat("/f").atimeNanos());
            assertEquals(9, root.stat("/f").mtimeNanos());
            Process user = vfs.newProcess(Credentials.of(1000, 1000));
            int ufd = user.open("/f", O_RDONLY);
            assertEquals(Errno.EPERM, errno(() -> user.futimens(ufd, 1, 1)));
            assertEquals(Errno.EBADF, errno(() -> root.futimens(99, 1, 1)));
        }
    }
}
