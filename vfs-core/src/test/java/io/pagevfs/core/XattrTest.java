package io.pagevfs.core;

import static io.pagevfs.core.Fcntl.XATTR_CREATE;
import static io.pagevfs.core.Fcntl.XATTR_REPLACE;
import static io.pagevfs.core.VfsTesting.assertErrno;
import static io.pagevfs.core.VfsTesting.assertFailsUnchanged;
import static io.pagevfs.core.VfsTesting.bytes;
import static io.pagevfs.core.VfsTesting.writeFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Extended attributes: the user. namespace with Linux's fs/xattr.c rules. */
class XattrTest {
    private Vfs vfs;
    private Process root;
    private Process owner;
    private Process stranger;

    @BeforeEach
    void setUp() throws Exception {
        vfs = VfsTesting.newVfs();
        root = vfs.newProcess(Credentials.root());
        owner = vfs.newProcess(Credentials.of(1000, 1000));
        stranger = vfs.newProcess(Credentials.of(2000, 2000));
        root.mkdir("/home", 0777);
        root.chmod("/home", 0777);
        writeFile(owner, "/home/f", "x");
        owner.mkdir("/home/d", 0755);
        owner.symlink("f", "/home/l");
    }

    @AfterEach
    void tearDown() {
        vfs.checkInvariants();
        vfs.close();
    }

    @Test
    void setGetListRemove_onAFileAndADirectory() throws Exception {
        for (String path : new String[] {"/home/f", "/home/d"}) {
            owner.setxattr(path, "user.a", bytes("1"), 0);
            owner.setxattr(path, "user.b", new byte[0], 0);
            assertArrayEquals(bytes("1"), owner.getxattr(path, "user.a"));
            assertArrayEquals(new byte[0], owner.getxattr(path, "user.b"));
            assertEquals(List.of("user.a", "user.b"), owner.listxattr(path));
            owner.setxattr(path, "user.a", bytes("2"), 0);
            assertArrayEquals(bytes("2"), owner.getxattr(path, "user.a"));
            owner.removexattr(path, "user.a");
            assertEquals(List.of("user.b"), owner.listxattr(path));
        }
    }

    @Test
    void values_areCopiedInAndOut() throws Exception {
        byte[] v = bytes("abc");
        owner.setxattr("/home/f", "user.v", v, 0);
        v[0] = 'X';
        byte[] got = owner.getxattr("/home/f", "user.v");
        got[1] = 'Y';
        assertArrayEquals(bytes("abc"), owner.getxattr("/home/f", "user.v"));
    }

    @Test
    void setxattr_changesCtime() throws Exception {
        long before = owner.stat("/home/f").ctimeNanos();
        owner.setxattr("/home/f", "user.a", bytes("1"), 0);
        long after = owner.stat("/home/f").ctimeNanos();
        assertEquals(true, after > before);
    }

    @Test
    void nameLength_isCountedInBytes_1To255() throws Exception {
        String name255 = "user." + "a".repeat(250);
        owner.setxattr("/home/f", name255, bytes("v"), 0);
        assertArrayEquals(bytes("v"), owner.getxattr("/home/f", name255));
        String name256 = name255 + "a";
        assertFailsUnchanged(
                vfs, Errno.ERANGE, () -> owner.setxattr("/home/f", name256, bytes("v"), 0));
        assertErrno(Errno.ERANGE, () -> owner.getxattr("/home/f", name256));
        assertFailsUnchanged(vfs, Errno.ERANGE, () -> owner.removexattr("/home/f", name256));
        assertFailsUnchanged(vfs, Errno.ERANGE, () -> owner.setxattr("/home/f", "", bytes("v"), 0));
        String twoByte = "user." + "é".repeat(125); // 5 + 250 bytes
        owner.setxattr("/home/f", twoByte, bytes("v"), 0);
        String tooLong = twoByte + "é"; // 257 bytes, 131 chars
        assertFailsUnchanged(
                vfs, Errno.ERANGE, () -> owner.setxattr("/home/f", tooLong, bytes("v"), 0));
    }

    /** Linux's xattr_resolve_name: a bare prefix names no attribute. */
    @Test
    void bareUserPrefix_isEINVAL() {
        assertFailsUnchanged(
                vfs, Errno.EINVAL, () -> owner.setxattr("/home/f", "user.", bytes("v"), 0));
        assertErrno(Errno.EINVAL, () -> owner.getxattr("/home/f", "user."));
        assertFailsUnchanged(vfs, Errno.EINVAL, () -> owner.removexattr("/home/f", "user."));
        assertFailsUnchanged(
                vfs, Errno.EACCES, () -> stranger.setxattr("/home/f", "user.", bytes("v"), 0));
    }

    @Test
    void valueSize_upTo64KiB() throws Exception {
        owner.setxattr("/home/f", "user.big", new byte[65536], 0);
        assertEquals(65536, owner.getxattr("/home/f", "user.big").length);
        assertFailsUnchanged(
                vfs, Errno.E2BIG, () -> owner.setxattr("/home/f", "user.big", new byte[65537], 0));
    }

    @Test
    void createAndReplaceFlags() throws Exception {
        owner.setxattr("/home/f", "user.a", bytes("1"), XATTR_CREATE);
        assertFailsUnchanged(
                vfs,
                Errno.EEXIST,
                () -> owner.setxattr("/home/f", "user.a", bytes("2"), XATTR_CREATE));
        assertFailsUnchanged(
                vfs,
                Errno.ENODATA,
                () -> owner.setxattr("/home/f", "user.b", bytes("2"), XATTR_REPLACE));
        owner.setxattr("/home/f", "user.a", bytes("3"), XATTR_REPLACE);
        assertArrayEquals(bytes("3"), owner.getxattr("/home/f", "user.a"));
        int both = XATTR_CREATE | XATTR_REPLACE;
        assertFailsUnchanged(
                vfs, Errno.EEXIST, () -> owner.setxattr("/home/f", "user.a", bytes("4"), both));
        assertFailsUnchanged(
                vfs, Errno.ENODATA, () -> owner.setxattr("/home/f", "user.b", bytes("4"), both));
        assertFailsUnchanged(
                vfs, Errno.EINVAL, () -> owner.setxattr("/home/f", "user.a", bytes("4"), 4));
    }

    @Test
    void missingAttribute_isENODATA() {
        assertErrno(Errno.ENODATA, () -> owner.getxattr("/home/f", "user.none"));
        assertFailsUnchanged(vfs, Errno.ENODATA, () -> owner.removexattr("/home/f", "user.none"));
        assertErrno(Errno.ENOENT, () -> owner.getxattr("/home/none", "user.none"));
    }

    @Test
    void symlinks_carryNoUserAttributes() throws Exception {
        assertFailsUnchanged(
                vfs, Errno.EPERM, () -> owner.lsetxattr("/home/l", "user.a", bytes("v"), 0));
        assertErrno(Errno.ENODATA, () -> owner.lgetxattr("/home/l", "user.a"));
        assertFailsUnchanged(vfs, Errno.EPERM, () -> owner.lremovexattr("/home/l", "user.a"));
        assertEquals(List.of(), owner.llistxattr("/home/l"));
        owner.setxattr("/home/l", "user.a", bytes("v"), 0);
        assertArrayEquals(bytes("v"), owner.getxattr("/home/f", "user.a"), "the link is followed");
        assertEquals(List.of("user.a"), owner.listxattr("/home/l"));
        assertEquals(List.of(), owner.llistxattr("/home/l"));
    }

    @Test
    void deviceNodes_carryNoUserAttributes() throws Exception {
        root.mknod("/home/null", Mode.S_IFCHR | 0666, Devices.makedev(1, 3));
        assertFailsUnchanged(
                vfs, Errno.EPERM, () -> root.setxattr("/home/null", "user.a", bytes("v"), 0));
        assertErrno(Errno.ENODATA, () -> root.getxattr("/home/null", "user.a"));
    }

    @Test
    void stickyDirectory_onlyItsOwnerOrRootMaySet() throws Exception {
        owner.mkdir("/home/t", 01777);
        owner.chmod("/home/t", 01777);
        assertFailsUnchanged(
                vfs, Errno.EPERM, () -> stranger.setxattr("/home/t", "user.a", bytes("v"), 0));
        owner.setxattr("/home/t", "user.a", bytes("v"), 0);
        root.setxattr("/home/t", "user.b", bytes("v"), 0);
        assertArrayEquals(bytes("v"), stranger.getxattr("/home/t", "user.a"), "reading is fine");
        assertFailsUnchanged(vfs, Errno.EPERM, () -> stranger.removexattr("/home/t", "user.a"));
    }

    @Test
    void permissions_writeToSet_readToGet() throws Exception {
        owner.setxattr("/home/f", "user.a", bytes("v"), 0);
        assertFailsUnchanged(
                vfs, Errno.EACCES, () -> stranger.setxattr("/home/f", "user.a", bytes("w"), 0));
        assertFailsUnchanged(vfs, Errno.EACCES, () -> stranger.removexattr("/home/f", "user.a"));
        assertArrayEquals(bytes("v"), stranger.getxattr("/home/f", "user.a"));
        owner.chmod("/home/f", 0600);
        assertErrno(Errno.EACCES, () -> stranger.getxattr("/home/f", "user.a"));
        assertEquals(
                List.of("user.a"), stranger.listxattr("/home/f"), "listing needs no permission");
        root.setxattr("/home/f", "user.b", bytes("r"), 0);
    }

    /**
     * PageVFS supports only user. names; other namespaces fail ENOTSUP (Linux's tmpfs also has
     * trusted. and security. for root, documented as a PageVFS limitation in Xattrs).
     */
    @Test
    void otherNamespaces_areENOTSUP() {
        for (String name : new String[] {"trusted.a", "security.a", "system.a", "foo.a", "a"}) {
            assertFailsUnchanged(
                    vfs, Errno.ENOTSUP, () -> root.setxattr("/home/f", name, bytes("v"), 0));
            assertErrno(Errno.ENOTSUP, () -> root.getxattr("/home/f", name));
        }
    }

    @Test
    void readOnlyMount_refusesChanges_allowsReads() throws Exception {
        owner.setxattr("/home/f", "user.a", bytes("v"), 0);
        root.mkdir("/ro", 0755);
        root.bindMount("/home", "/ro", Set.of(MountFlag.READ_ONLY));
        assertFailsUnchanged(
                vfs, Errno.EROFS, () -> owner.setxattr("/ro/f", "user.b", bytes("v"), 0));
        assertFailsUnchanged(vfs, Errno.EROFS, () -> owner.removexattr("/ro/f", "user.a"));
        assertFailsUnchanged(
                vfs, Errno.EROFS, () -> stranger.setxattr("/ro/f", "user.b", bytes("v"), 0));
        assertArrayEquals(bytes("v"), owner.getxattr("/ro/f", "user.a"));
    }
}
