package io.pagevfs.core;

import static io.pagevfs.core.Fcntl.O_CREAT;
import static io.pagevfs.core.Fcntl.O_RDONLY;
import static io.pagevfs.core.Fcntl.O_RDWR;
import static io.pagevfs.core.Fcntl.O_WRONLY;
import static io.pagevfs.core.MountFlag.NODEV;
import static io.pagevfs.core.MountFlag.NOEXEC;
import static io.pagevfs.core.MountFlag.READ_ONLY;
import static io.pagevfs.core.VfsTesting.assertErrno;
import static io.pagevfs.core.VfsTesting.assertFailsUnchanged;
import static io.pagevfs.core.VfsTesting.readString;
import static io.pagevfs.core.VfsTesting.writeFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MountTest {
    private Vfs vfs;
    private Process root;
    private Process user;

    @BeforeEach
    void setUp() throws Exception {
        vfs = VfsTesting.newVfs();
        root = vfs.newProcess(Credentials.root());
        user = vfs.newProcess(Credentials.of(1000, 1000));
        root.mkdir("/data", 0755);
        root.mkdir("/data/sub", 0755);
        writeFile(root, "/data/sub/f", "hello");
        root.mkdir("/mnt", 0755);
        root.mkdir("/other", 0755);
    }

    @AfterEach
    void tearDown() {
        vfs.checkInvariants();
        vfs.close();
    }

    private static VolumeSpec volume(String name) {
        return VolumeSpec.of(name, 1 << 20);
    }

    @Test
    void mount_newVolume_hasItsOwnDeviceAndTmpfsRoot() throws Exception {
        writeFile(root, "/mnt/hidden", "under");
        root.mount(volume("vol"), "/mnt", Set.of());
        Stat st = root.stat("/mnt");
        assertNotEquals(root.stat("/").dev(), st.dev());
        assertEquals(01777, st.permissions());
        assertEquals(0, st.uid());
        assertErrno(Errno.ENOENT, () -> root.stat("/mnt/hidden"));
        assertTrue(root.listDirectory("/mnt").isEmpty());
        FsStat fs = root.statfs("/mnt");
        assertEquals("vol", fs.name());
        assertEquals(256, fs.totalBlocks());
        assertEquals(4096, fs.blockSize());
        assertEquals(255, fs.nameMax());
        root.umount("/mnt");
        assertEquals("under", readString(root, "/mnt/hidden"));
    }

    @Test
    void mounts_listsTheTable() throws Exception {
        root.mount(volume("vol"), "/mnt", Set.of(NOEXEC));
        root.bindMount("/data/sub", "/other", Set.of(READ_ONLY));
        List<MountInfo> table = vfs.mounts();
        assertEquals(3, table.size());
        MountInfo first = table.get(0);
        assertEquals("/", first.mountPoint());
        assertEquals(first.id(), first.parentId());
        MountInfo vol = table.get(1);
        assertEquals("/mnt", vol.mountPoint());
        assertEquals("vol", vol.volume());
        assertEquals(Set.of(NOEXEC), vol.flags());
        assertEquals(first.id(), vol.parentId());
        MountInfo bind = table.get(2);
        assertEquals("/other", bind.mountPoint());
        assertEquals("/data/sub", bind.root());
        assertEquals(Set.of(READ_ONLY), bind.flags());
        assertFalse(bind.volumeReadOnly(), "a read-only bind leaves the volume writable");
    }

    @Test
    void bindMount_seesTheSameInodes() throws Exception {
        root.bindMount("/data", "/mnt", Set.of());
        Stat a = root.stat("/data/sub/f");
        Stat b = root.stat("/mnt/sub/f");
        assertEquals(a.dev(), b.dev());
        assertEquals(a.ino(), b.ino());
        writeFile(root, "/mnt/sub/g", "via bind");
        assertEquals("via bind", readString(root, "/data/sub/g"));
        root.unlink("/data/sub/f");
        assertErrno(Errno.ENOENT, () -> root.stat("/mnt/sub/f"));
        assertEquals(root.stat("/").ino(), root.stat("/mnt/..").ino());
    }

    @Test
    void bindMount_flagsArePerMount() throws Exception {
        root.bindMount("/data", "/mnt", Set.of(READ_ONLY));
        assertFailsUnchanged(vfs, Errno.EROFS, () -> writeFile(root, "/mnt/x", "no"));
        assertFailsUnchanged(vfs, Errno.EROFS, () -> root.open("/mnt/sub/f", O_WRONLY));
        assertFailsUnchanged(vfs, Errno.EROFS, () -> root.unlink("/mnt/sub/f"));
        assertFailsUnchanged(vfs, Errno.EROFS, () -> root.access("/mnt/sub/f", Mode.W_OK));
        assertEquals("hello", readString(root, "/mnt/sub/f"), "reads work");
        writeFile(root, "/data/x", "yes");
        assertEquals("yes", readString(root, "/mnt/x"));
        assertTrue(root.statfs("/mnt").readOnly());
        assertFalse(root.statfs("/data").readOnly());
        assertErrno(Errno.EXDEV, () -> root.rename("/mnt/x", "/data/y"));
        // link creates its name first (filename_create): EROFS before EXDEV, as on Linux
        assertErrno(Errno.EROFS, () -> root.link("/data/x", "/mnt/y"));
        assertErrno(Errno.EXDEV, () -> root.link("/mnt/x", "/data/y"));
    }

    @Test
    void remountBind_readOnly_affectsOnlyThatMount() throws Exception {
        root.bindMount("/data", "/mnt", Set.of());
        root.remountBind("/mnt", Set.of(READ_ONLY));
        assertFailsUnchanged(vfs, Errno.EROFS, () -> root.mkdir("/mnt/d", 0755));
        root.mkdir("/data/d", 0755);
        root.remountBind("/mnt", Set.of());
        root.mkdir("/mnt/e", 0755);
    }

    @Test
    void remount_readOnly_appliesToTheWholeVolume() throws Exception {
        root.mount(volume("vol"), "/mnt", Set.of());
        root.mkdir("/mnt/d", 0755);
        root.bindMount("/mnt/d", "/other", Set.of());
        root.remount("/mnt", Set.of(READ_ONLY));
        assertFailsUnchanged(vfs, Errno.EROFS, () -> root.mkdir("/other/x", 0755));
        assertTrue(vfs.mounts().get(2).volumeReadOnly());
        root.remount("/mnt", Set.of());
        root.mkdir("/other/x", 0755);
    }

    @Test
    void remount_readOnly_withAWriter_isEBUSY() throws Exception {
        root.mount(volume("vol"), "/mnt", Set.of());
        root.mkdir("/mnt/d", 0755);
        root.bindMount("/mnt/d", "/other", Set.of());
        int fd = root.open("/other/f", O_CREAT | O_RDWR, 0644);
        assertFailsUnchanged(vfs, Errno.EBUSY, () -> root.remount("/mnt", Set.of(READ_ONLY)));
        assertFailsUnchanged(vfs, Errno.EBUSY, () -> root.remountBind("/other", Set.of(READ_ONLY)));
        root.remountBind("/mnt", Set.of(READ_ONLY)); // the writer is on the other mount
        root.close(fd);
        int reader = user.open("/other/f", O_RDONLY);
        root.remount("/mnt", Set.of(READ_ONLY));
        user.close(reader);
    }

    @Test
    void umount_withAnOpenFile_isEBUSY() throws Exception {
        root.mount(volume("vol"), "/mnt", Set.of());
        writeFile(root, "/mnt/f", "x");
        int fd = user.open("/mnt/f", O_RDONLY);
        assertFailsUnchanged(vfs, Errno.EBUSY, () -> root.umount("/mnt"));
        user.close(fd);
        int dfd = user.open("/mnt", O_RDONLY);
        assertFailsUnchanged(vfs, Errno.EBUSY, () -> root.umount("/mnt"));
        user.close(dfd);
        root.umount("/mnt");
    }

    @Test
    void umount_withAnUnlinkedOpenFile_isEBUSY() throws Exception {
        root.mount(volume("vol"), "/mnt", Set.of());
        writeFile(root, "/mnt/f", "x");
        int fd = user.open("/mnt/f", O_RDONLY);
        root.unlink("/mnt/f");
        assertFailsUnchanged(vfs, Errno.EBUSY, () -> root.umount("/mnt"));
        user.close(fd);
        root.umount("/mnt");
    }

    @Test
    void umount_whileAWorkingDirectoryOrRoot_isEBUSY() throws Exception {
        root.mount(volume("vol"), "/mnt", Set.of());
        root.mkdir("/mnt/deep", 0755);
        user.chdir("/mnt/deep");
        assertFailsUnchanged(vfs, Errno.EBUSY, () -> root.umount("/mnt"));
        user.chdir("/");
        Process jailed = root.fork();
        jailed.chroot("/mnt");
        jailed.chdir("/");
        assertFailsUnchanged(vfs, Errno.EBUSY, () -> root.umount("/mnt"));
        jailed.exit();
        root.umount("/mnt");
    }

    @Test
    void umount_withAChildMount_isEBUSY() throws Exception {
        root.mount(volume("vol"), "/mnt", Set.of());
        root.mkdir("/mnt/inner", 0755);
        root.mount(volume("inner"), "/mnt/inner", Set.of());
        assertFailsUnchanged(vfs, Errno.EBUSY, () -> root.umount("/mnt"));
        assertFailsUnchanged(vfs, Errno.EBUSY, () -> root.rmdir("/mnt/inner"));
        root.umount("/mnt/inner");
        root.umount("/mnt");
    }

    @Test
    void umount_notAMountPoint_isEINVAL() throws Exception {
        assertFailsUnchanged(vfs, Errno.EINVAL, () -> root.umount("/data"));
        root.mount(volume("vol"), "/mnt", Set.of());
        root.mkdir("/mnt/x", 0755);
        assertFailsUnchanged(vfs, Errno.EINVAL, () -> root.umount("/mnt/x"));
        assertFailsUnchanged(vfs, Errno.EINVAL, () -> root.remount("/data", Set.of(READ_ONLY)));
        assertFailsUnchanged(vfs, Errno.ENOENT, () -> root.umount("/nowhere"));
        assertFailsUnchanged(vfs, Errno.EINVAL, () -> root.umount("/data/sub/f"));
        assertFailsUnchanged(vfs, Errno.EINVAL, () -> root.remount("/data/sub/f", Set.of()));
    }

    @Test
    void mount_ontoAFileOrNothing_fails() {
        assertFailsUnchanged(
                vfs, Errno.ENOTDIR, () -> root.mount(volume("v"), "/data/sub/f", Set.of()));
        assertFailsUnchanged(
                vfs, Errno.ENOENT, () -> root.mount(volume("v"), "/nowhere", Set.of()));
        assertFailsUnchanged(vfs, Errno.ENOENT, () -> root.bindMount("/nowhere", "/mnt", Set.of()));
        assertFailsUnchanged(
                vfs, Errno.ENOTDIR, () -> root.bindMount("/data/sub/f", "/mnt", Set.of()));
    }

    @Test
    void everyMountCall_byAnOrdinaryUser_isEPERM() throws Exception {
        root.mount(volume("vol"), "/mnt", Set.of());
        assertFailsUnchanged(vfs, Errno.EPERM, () -> user.mount(volume("v"), "/other", Set.of()));
        assertFailsUnchanged(vfs, Errno.EPERM, () -> user.bindMount("/data", "/other", Set.of()));
        assertFailsUnchanged(vfs, Errno.EPERM, () -> user.remount("/mnt", Set.of(READ_ONLY)));
        assertFailsUnchanged(vfs, Errno.EPERM, () -> user.remountBind("/mnt", Set.of(READ_ONLY)));
        assertFailsUnchanged(vfs, Errno.EPERM, () -> user.umount("/mnt"));
        assertFailsUnchanged(vfs, Errno.EPERM, () -> user.umount("/data"));
        assertFailsUnchanged(
                vfs, Errno.EPERM, () -> user.mount(volume("v"), "/data/sub/f", Set.of()));
    }

    /** Linux looks the target up before asking for privilege (ksys_umount, do_mount). */
    @Test
    void mountCalls_byAnOrdinaryUser_onAMissingPath_areENOENT() {
        assertFailsUnchanged(vfs, Errno.ENOENT, () -> user.umount("/nowhere"));
        assertFailsUnchanged(
                vfs, Errno.ENOENT, () -> user.mount(volume("v"), "/nowhere", Set.of()));
        assertFailsUnchanged(
                vfs, Errno.ENOENT, () -> user.bindMount("/data", "/nowhere", Set.of()));
        assertFailsUnchanged(vfs, Errno.ENOENT, () -> user.remount("/nowhere", Set.of()));
    }

    @Test
    void statfs_countsEachVolumeSeparately() throws Exception {
        root.mount(VolumeSpec.of("small", 64 * 1024), "/mnt", Set.of());
        long rootUsed = root.statfs("/").usedBlocks();
        writeFile(root, "/mnt/f", new byte[10_000]);
        FsStat fs = root.statfs("/mnt/f");
        assertEquals(3, fs.usedBlocks());
        assertEquals(16, fs.totalBlocks());
        assertEquals(13, fs.freeBlocks());
        assertEquals(rootUsed, root.statfs("/").usedBlocks());
        int fd = root.open("/mnt/f", O_RDONLY);
        assertEquals(fs, root.fstatfs(fd));
        root.close(fd);
    }

    @Test
    void nodev_refusesToOpenDevices() throws Exception {
        root.mknod("/data/null", Mode.S_IFCHR | 0666, Devices.makedev(1, 3));
        root.bindMount("/data", "/mnt", Set.of(NODEV));
        root.close(root.open("/data/null", O_RDWR));
        assertFailsUnchanged(vfs, Errno.EACCES, () -> root.open("/mnt/null", O_RDWR));
        assertTrue(root.stat("/mnt/null").type().isDevice(), "stat still works");
    }

    @Test
    void noexec_refusesAccessXForFiles_butNotSearch() throws Exception {
        writeFile(root, "/data/prog", "#!");
        root.chmod("/data/prog", 0755);
        root.bindMount("/data", "/mnt", Set.of(NOEXEC));
        root.access("/data/prog", Mode.X_OK);
        assertErrno(Errno.EACCES, () -> root.access("/mnt/prog", Mode.X_OK));
        root.access("/mnt/sub", Mode.X_OK);
        root.stat("/mnt/sub/f");
    }

    @Test
    void unmountedVolume_freesItsContent() throws Exception {
        root.mount(volume("vol"), "/mnt", Set.of());
        writeFile(root, "/mnt/f", new byte[8192]);
        root.bindMount("/mnt", "/other", Set.of());
        root.umount("/mnt");
        assertEquals(2, root.statfs("/other").usedBlocks(), "still mounted elsewhere");
        root.umount("/other");
        assertErrno(Errno.ENOENT, () -> root.stat("/other/f"));
    }
}
