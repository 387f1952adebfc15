package io.pagevfs.core;

import static io.pagevfs.core.Fcntl.O_CREAT;
import static io.pagevfs.core.Fcntl.O_DIRECTORY;
import static io.pagevfs.core.Fcntl.O_NOFOLLOW;
import static io.pagevfs.core.Fcntl.O_RDONLY;
import static io.pagevfs.core.Fcntl.O_RDWR;
import static io.pagevfs.core.VfsTesting.assertErrno;
import static io.pagevfs.core.VfsTesting.assertFailsUnchanged;
import static io.pagevfs.core.VfsTesting.readString;
import static io.pagevfs.core.VfsTesting.writeFile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Path resolution (Namei) through the system calls: Linux's link_path_walk rules. */
class NameiTest {
    private Vfs vfs;
    private Process root;

    @BeforeEach
    void setUp() throws Exception {
        vfs = VfsTesting.newVfs();
        root = vfs.newProcess(Credentials.root());
        root.mkdir("/a", 0755);
        root.mkdir("/a/b", 0755);
        writeFile(root, "/a/b/f", "file");
        writeFile(root, "/top", "top");
    }

    @AfterEach
    void tearDown() {
        vfs.checkInvariants();
        vfs.close();
    }

    private long ino(String path) throws VfsException {
        return root.stat(path).ino();
    }

    /** (dev, ino) of a path: identity across volumes. */
    private String id(Process p, String path) throws VfsException {
        Stat st = p.stat(path);
        return st.dev() + ":" + st.ino();
    }

    /** A chain {@code dir/s1 -> target, dir/s2 -> s1, ..., dir/sN -> s(N-1)}. */
    private void chain(String dir, String target, int n) throws VfsException {
        for (int i = 1; i <= n; i++) {
            root.symlink(i == 1 ? target : "s" + (i - 1), dir + "/s" + i);
        }
    }

    // ---- ".", ".." and slashes -----------------------------------------------------------------

    @Test
    void dot_namesTheSameDirectory() throws Exception {
        assertEquals(ino("/a/b"), ino("/a/./b/."));
        assertEquals(ino("/a/b/f"), ino("/./a/./b/./f"));
        assertEquals(ino("/"), ino("/."));
    }

    @Test
    void dotdot_goesToTheParent_andStaysAtTheRoot() throws Exception {
        assertEquals(ino("/a"), ino("/a/b/.."));
        assertEquals(ino("/"), ino("/.."));
        assertEquals(ino("/a"), ino("/../../../a"));
        assertEquals(ino("/a/b/f"), ino("/a/b/../../a/b/f"));
    }

    @Test
    void repeatedSlashes_countAsOne() throws Exception {
        assertEquals(ino("/"), ino("//"));
        assertEquals(ino("/"), ino("///"));
        assertEquals(ino("/a/b/f"), ino("//a///b////f"));
        assertEquals(ino("/a/b"), ino("/a//b//"));
    }

    @Test
    void relativePath_startsAtTheWorkingDirectory() throws Exception {
        root.chdir("/a");
        assertEquals(ino("/a/b/f"), ino("b/f"));
        assertEquals(ino("/top"), ino("../top"));
        assertEquals(ino("/a"), ino("."));
    }

    // ---- trailing slashes -----------------------------------------------------------------------

    @Test
    void trailingSlash_onADirectory_isFine() throws Exception {
        assertTrue(root.stat("/a/b/").isDirectory());
        assertTrue(root.lstat("/a/b//").isDirectory());
        root.close(root.open("/a/b/", O_RDONLY));
    }

    @Test
    void trailingSlash_onAFile_isENOTDIR() {
        assertErrno(Errno.ENOTDIR, () -> root.stat("/top/"));
        assertErrno(Errno.ENOTDIR, () -> root.lstat("/top/"));
        assertErrno(Errno.ENOTDIR, () -> root.open("/top/", O_RDONLY));
        assertErrno(Errno.ENOTDIR, () -> root.stat("/top/."));
        assertErrno(Errno.ENOTDIR, () -> root.stat("/top/.."));
        assertFailsUnchanged(vfs, Errno.ENOTDIR, () -> root.unlink("/top/"));
        assertFailsUnchanged(vfs, Errno.ENOTDIR, () -> root.mkdir("/top/x", 0755));
    }

    @Test
    void trailingSlash_onASymlink_followsIt() throws Exception {
        root.symlink("/a/b", "/dirlink");
        root.symlink("/top", "/filelink");
        assertTrue(root.lstat("/dirlink").isSymlink());
        assertTrue(root.lstat("/dirlink/").isDirectory(), "the slash forces the follow");
        assertErrno(Errno.ENOTDIR, () -> root.lstat("/filelink/"));
    }

    @Test
    void trailingSlash_whenCreating_onlyDirectories() throws Exception {
        root.mkdir("/new/", 0755);
        assertTrue(root.stat("/new").isDirectory());
        assertFailsUnchanged(
                vfs, Errno.EISDIR, () -> root.open("/newfile/", O_CREAT | O_RDWR, 0644));
        assertFailsUnchanged(vfs, Errno.ENOENT, () -> root.symlink("x", "/newlink/"));
    }

    @Test
    void rmdir_ofDotOrDotDot_isEINVALorENOTEMPTY() throws Exception {
        root.mkdir("/e", 0755);
        assertFailsUnchanged(vfs, Errno.EINVAL, () -> root.rmdir("/e/."));
        assertFailsUnchanged(vfs, Errno.ENOTEMPTY, () -> root.rmdir("/e/.."));
    }

    // ---- missing and wrong-type components -----------------------------------------------------

    @Test
    void missingIntermediate_isENOENT_fileIntermediate_isENOTDIR() {
        assertErrno(Errno.ENOENT, () -> root.stat("/missing/x"));
        assertErrno(Errno.ENOENT, () -> root.stat("/a/missing"));
        assertErrno(Errno.ENOTDIR, () -> root.stat("/top/x"));
        assertErrno(Errno.ENOTDIR, () -> root.stat("/a/b/f/x/y"));
    }

    @Test
    void searchPermission_isNeededOnEveryDirectoryWalked() throws Exception {
        Process user = vfs.newProcess(Credentials.of(1000, 1000));
        root.chmod("/a", 0644);
        assertErrno(Errno.EACCES, () -> user.stat("/a/b"));
        // EACCES before ENOENT
        assertErrno(Errno.EACCES, () -> user.stat("/a/missing"));
        assertTrue(user.stat("/a").isDirectory(), "the directory itself needs no search right");
        root.chmod("/a", 0711);
        assertEquals(ino("/a/b/f"), user.stat("/a/b/f").ino(), "search without read is enough");
    }

    // ---- symbolic links
    // ---------------------------------------------------------------------------

    @Test
    void symlinkChain_of40_resolves_of41_isELOOP() throws Exception {
        root.mkdir("/l", 0755);
        chain("/l", "/a/b/f", 41);
        assertEquals(ino("/a/b/f"), ino("/l/s40"), "40 links followed");
        assertErrno(Errno.ELOOP, () -> root.stat("/l/s41"));
        assertErrno(Errno.ELOOP, () -> root.open("/l/s41", O_RDONLY));
        assertTrue(root.lstat("/l/s41").isSymlink(), "lstat follows nothing");
        root.close(root.open("/l/s40", O_RDONLY));
    }

    @Test
    void symlinkChain_inTheMiddleOfAPath_countsTheSame() throws Exception {
        root.mkdir("/m", 0755);
        chain("/m", "/a/b", 41);
        assertEquals(ino("/a/b/f"), ino("/m/s40/f"));
        assertErrno(Errno.ELOOP, () -> root.stat("/m/s41/f"));
        assertTrue(root.lstat("/m/s40/").isDirectory());
        assertErrno(Errno.ELOOP, () -> root.lstat("/m/s41/"));
    }

    @Test
    void symlinkLoop_isELOOP() throws Exception {
        root.symlink("self", "/self");
        root.symlink("/ping", "/pong");
        root.symlink("/pong", "/ping");
        assertErrno(Errno.ELOOP, () -> root.stat("/self"));
        assertErrno(Errno.ELOOP, () -> root.stat("/ping/x"));
        assertFailsUnchanged(vfs, Errno.ELOOP, () -> root.open("/self", O_CREAT | O_RDWR, 0644));
    }

    @Test
    void openNofollow_onASymlink_isELOOP() throws Exception {
        root.symlink("/top", "/lnk");
        assertErrno(Errno.ELOOP, () -> root.open("/lnk", O_RDONLY | O_NOFOLLOW));
        root.close(root.open("/top", O_RDONLY | O_NOFOLLOW));
        // only the last component is checked
        root.symlink("/a", "/dirlnk");
        root.close(root.open("/dirlnk/b/f", O_RDONLY | O_NOFOLLOW));
    }

    @Test
    void relativeSymlink_resolvesFromItsOwnDirectory() throws Exception {
        root.symlink("../top", "/a/up");
        root.symlink("b/f", "/a/down");
        root.symlink(".", "/a/here");
        root.symlink("..", "/a/parent");
        root.chdir("/a/b");
        assertEquals(ino("/top"), ino("/a/up"));
        assertEquals(ino("/a/b/f"), ino("/a/down"));
        assertEquals(ino("/a/b/f"), ino("../down"), "not from the working directory");
        assertEquals(ino("/a"), ino("/a/here"));
        assertEquals(ino("/"), ino("/a/parent"));
        assertEquals(ino("/a/b/f"), ino("/a/here/here/b/f"));
    }

    @Test
    void absoluteSymlink_restartsAtTheRoot() throws Exception {
        root.symlink("/a/b", "/a/b/abs");
        assertEquals(ino("/a/b/f"), ino("/a/b/abs/abs/abs/f"));
        assertEquals(ino("/a"), ino("/a/b/abs/.."), "'..' after a link is the target's parent");
    }

    @Test
    void symlinkIntoAMissingPlace_isENOENT_butOpenCreatCreatesTheTarget() throws Exception {
        root.symlink("/a/new", "/dangling");
        assertErrno(Errno.ENOENT, () -> root.stat("/dangling"));
        root.close(root.open("/dangling", O_CREAT | O_RDWR, 0644));
        assertTrue(root.stat("/a/new").isRegularFile());
    }

    // ---- chroot
    // -----------------------------------------------------------------------------------

    @Test
    void chroot_dotdotAtTheNewRoot_cannotEscape() throws Exception {
        root.mkdir("/jail", 0755);
        root.mkdir("/jail/etc", 0755);
        writeFile(root, "/jail/etc/passwd", "inside");
        writeFile(root, "/outside", "outside");
        root.symlink("/etc/passwd", "/jail/abs");
        root.symlink("../../../../outside", "/jail/rel");
        Process p = root.fork();
        p.chroot("/jail");
        p.chdir("/");
        assertEquals("/", p.getcwd());
        assertEquals(ino("/jail"), p.stat("/").ino());
        assertEquals(ino("/jail"), p.stat("/..").ino());
        assertEquals(ino("/jail"), p.stat("../../..").ino());
        assertEquals(ino("/jail/etc"), p.stat("/../../etc").ino());
        assertErrno(Errno.ENOENT, () -> p.stat("/../outside"));
        assertEquals("inside", readString(p, "/abs"), "absolute links start at the new root");
        assertErrno(Errno.ENOENT, () -> p.stat("/rel"));
        p.chdir("/etc");
        assertEquals("/etc", p.getcwd());
        p.chdir("../../..");
        assertEquals("/", p.getcwd());
    }

    @Test
    void chroot_withoutChdir_leavesTheWorkingDirectoryOutside() throws Exception {
        root.mkdir("/jail", 0755);
        Process p = root.fork();
        p.chdir("/a");
        p.chroot("/jail");
        assertErrno(Errno.ENOENT, () -> p.getcwd());
        assertEquals(ino("/a/b"), p.stat("b").ino(), "relative paths still start there");
    }

    @Test
    void chroot_byAnOrdinaryUser_isEPERM() throws Exception {
        Process user = vfs.newProcess(Credentials.of(1000, 1000));
        assertFailsUnchanged(vfs, Errno.EPERM, () -> user.chroot("/a"));
        assertFailsUnchanged(vfs, Errno.ENOTDIR, () -> root.chroot("/top"));
    }

    // ---- mounts
    // -----------------------------------------------------------------------------------

    @Test
    void mountPoint_isCrossedBothWays() throws Exception {
        root.mkdir("/mnt", 0755);
        String under = id(root, "/mnt");
        root.mount(VolumeSpec.of("vol", 1 << 20), "/mnt", Set.of());
        assertNotEquals(under, id(root, "/mnt"), "the mount hides the directory");
        assertNotEquals(root.stat("/").dev(), root.stat("/mnt").dev());
        assertEquals(id(root, "/"), id(root, "/mnt/.."), "'..' from a mount root leaves it");
        root.mkdir("/mnt/x", 0755);
        writeFile(root, "/mnt/../mnt/x/f", "through");
        assertEquals("through", readString(root, "/mnt/x/../x/f"));
        root.chdir("/mnt/x");
        assertEquals("/mnt/x", root.getcwd());
        assertEquals(id(root, "/"), id(root, "../.."));
        assertEquals(id(root, "/a"), id(root, "../../a"));
        root.symlink("/mnt/x", "/toMount");
        assertEquals(id(root, "/mnt/x/f"), id(root, "/toMount/f"));
    }

    @Test
    void stackedMounts_theTopOneIsSeen_andDotDotSkipsTheLowerOne() throws Exception {
        root.mkdir("/mnt", 0755);
        root.mount(VolumeSpec.of("lower", 1 << 20), "/mnt", Set.of());
        writeFile(root, "/mnt/lower", "l");
        root.mount(VolumeSpec.of("upper", 1 << 20), "/mnt", Set.of());
        assertErrno(Errno.ENOENT, () -> root.stat("/mnt/lower"));
        assertEquals(id(root, "/"), id(root, "/mnt/.."));
        root.umount("/mnt");
        assertEquals("l", readString(root, "/mnt/lower"));
    }

    @Test
    void bindMountOfASubdirectory_dotdotGoesToTheMountPointsParent() throws Exception {
        root.mkdir("/b", 0755);
        root.bindMount("/a/b", "/b", Set.of());
        assertEquals(id(root, "/a/b/f"), id(root, "/b/f"));
        assertEquals(id(root, "/"), id(root, "/b/.."), "not /a");
        root.chdir("/b");
        assertEquals("/b", root.getcwd());
    }

    @Test
    void mountUnderAChdirDirectory_dotdotEntersTheMountOnTheParent() throws Exception {
        root.chdir("/a/b");
        root.mount(VolumeSpec.of("over", 1 << 20), "/a", Set.of());
        writeFile(root, "/a/onTop", "x");
        assertEquals(id(root, "/a"), id(root, ".."), "'..' lands on /a and enters the mount there");
        assertEquals(id(root, "/a/onTop"), id(root, "../onTop"));
    }

    // ---- getcwd
    // -----------------------------------------------------------------------------------

    @Test
    void getcwd_followsRenames_andFailsOnceTheDirectoryIsRemoved() throws Exception {
        Process p = root.fork();
        assertEquals("/", p.getcwd());
        root.symlink("/a/b", "/link");
        p.chdir("/link");
        assertEquals("/a/b", p.getcwd(), "the physical path");
        root.rename("/a", "/c");
        assertEquals("/c/b", p.getcwd());
        root.unlink("/c/b/f");
        root.rmdir("/c/b");
        assertErrno(Errno.ENOENT, () -> p.getcwd());
        assertErrno(Errno.ENOENT, () -> p.open("new", O_CREAT | O_RDWR, 0644));
        assertErrno(Errno.ENOENT, () -> p.stat("./x"));
        p.chdir("/");
        assertEquals("/", p.getcwd());
    }

    @Test
    void chdir_needsASearchableDirectory() throws Exception {
        Process user = vfs.newProcess(Credentials.of(1000, 1000));
        root.mkdir("/closed", 0700);
        assertFailsUnchanged(vfs, Errno.EACCES, () -> user.chdir("/closed"));
        assertFailsUnchanged(vfs, Errno.ENOTDIR, () -> user.chdir("/top"));
        assertFailsUnchanged(vfs, Errno.ENOENT, () -> user.chdir("/nowhere"));
    }

    // ---- *at calls ------------------------------------------------------------------------------

    @Test
    void openAt_resolvesRelativeToTheDirectoryDescriptor() throws Exception {
        int dfd = root.open("/a/b", O_RDONLY | O_DIRECTORY);
        assertEquals(
                "file",
                VfsTesting.string(VfsTesting.readAll(root, root.openAt(dfd, "f", O_RDONLY, 0))));
        assertEquals(ino("/a"), root.statAt(dfd, "..", 0).ino());
        assertEquals(ino("/top"), root.statAt(dfd, "/top", 0).ino(), "absolute paths ignore it");
        root.mkdirAt(dfd, "sub", 0755);
        assertTrue(root.stat("/a/b/sub").isDirectory());
        int ffd = root.open("/top", O_RDONLY);
        assertErrno(Errno.ENOTDIR, () -> root.openAt(ffd, "x", O_RDONLY, 0));
        assertEquals(ino("/top"), root.statAt(ffd, "/top", 0).ino());
        assertErrno(Errno.EBADF, () -> root.openAt(99, "x", O_RDONLY, 0));
        root.fchdir(dfd);
        assertEquals("/a/b", root.getcwd());
    }
}
