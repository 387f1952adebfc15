package io.pagevfs.core;

import static io.pagevfs.core.Fcntl.O_CLOEXEC;
import static io.pagevfs.core.Fcntl.O_RDONLY;
import static io.pagevfs.core.Fcntl.O_WRONLY;
import static io.pagevfs.core.VfsTesting.assertErrno;
import static io.pagevfs.core.VfsTesting.assertFailsUnchanged;
import static io.pagevfs.core.VfsTesting.writeFile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** execve's checks and credential change (fs/exec.c: do_open_execat, bprm_fill_uid). */
class ExecveTest {
    private Vfs vfs;
    private Process root;
    private Process user;

    @BeforeEach
    void setUp() throws Exception {
        vfs = VfsTesting.newVfs();
        root = vfs.newProcess(Credentials.root());
        user = vfs.newProcess(Credentials.of(1000, 1000, new int[] {50}));
        root.mkdir("/bin", 0755);
        program("/bin/plain", 0755, 0, 0);
        program("/bin/suid", 04755, 0, 0);
        program("/bin/sgid", 02755, 0, 77);
        program("/bin/sgidNoGroupX", 02745, 0, 77);
        program("/bin/suidUser", 04755, 2000, 2000);
    }

    @AfterEach
    void tearDown() {
        vfs.checkInvariants();
        vfs.close();
    }

    private void program(String path, int mode, int uid, int gid) throws VfsException {
        writeFile(root, path, "\177ELF");
        root.chown(path, uid, gid);
        root.chmod(path, mode);
    }

    @Test
    void execve_ordinaryProgram_keepsTheCredentials() throws Exception {
        Credentials before = user.credentials();
        user.execve("/bin/plain");
        assertEquals(before, user.credentials());
    }

    @Test
    void execve_setUserId_changesOnlyTheEffectiveUid() throws Exception {
        user.execve("/bin/suid");
        Credentials c = user.credentials();
        assertEquals(0, c.euid());
        assertEquals(1000, c.ruid());
        assertEquals(1000, c.egid());
        assertArrayEquals(new int[] {50}, c.groups());
        writeFile(root, "/secret", "s");
        root.chmod("/secret", 0600);
        user.close(user.open("/secret", O_RDONLY));
        assertErrno(Errno.EACCES, () -> user.access("/secret", Mode.R_OK));
    }

    @Test
    void execve_setUserIdOfAnotherUser_byRoot_dropsPrivilege() throws Exception {
        Process p = root.fork();
        p.execve("/bin/suidUser");
        assertEquals(2000, p.credentials().euid());
        assertEquals(0, p.credentials().ruid());
    }

    @Test
    void execve_setGroupId_needsGroupExecute() throws Exception {
        Process a = user.fork();
        a.execve("/bin/sgid");
        assertEquals(77, a.credentials().egid());
        assertEquals(1000, a.credentials().rgid());
        Process b = user.fork();
        b.execve("/bin/sgidNoGroupX");
        assertEquals(1000, b.credentials().egid(), "setgid without group-x is a locking mark");
    }

    @Test
    void execve_onANosuidMount_ignoresSetIdBits() throws Exception {
        root.mkdir("/ns", 0755);
        root.bindMount("/bin", "/ns", Set.of(MountFlag.NOSUID));
        user.execve("/ns/suid");
        assertEquals(1000, user.credentials().euid());
        user.execve("/ns/sgid");
        assertEquals(1000, user.credentials().egid());
    }

    @Test
    void execve_onANoexecMount_isEACCES_evenForRoot() throws Exception {
        root.mkdir("/nx", 0755);
        root.bindMount("/bin", "/nx", Set.of(MountFlag.NOEXEC));
        assertFailsUnchanged(vfs, Errno.EACCES, () -> user.execve("/nx/plain"));
        assertFailsUnchanged(vfs, Errno.EACCES, () -> root.execve("/nx/plain"));
        root.execve("/bin/plain");
    }

    @Test
    void execve_withoutExecutePermission_isEACCES() throws Exception {
        program("/bin/noexec", 0644, 0, 0);
        program("/bin/otherOnly", 0001, 0, 0);
        program("/bin/ownerOnly", 0700, 1000, 1000);
        assertFailsUnchanged(vfs, Errno.EACCES, () -> user.execve("/bin/noexec"));
        assertFailsUnchanged(vfs, Errno.EACCES, () -> root.execve("/bin/noexec"));
        root.fork().execve("/bin/otherOnly");
        user.fork().execve("/bin/otherOnly");
        user.fork().execve("/bin/ownerOnly");
        Process other = vfs.newProcess(Credentials.of(3000, 3000));
        assertFailsUnchanged(vfs, Errno.EACCES, () -> other.execve("/bin/ownerOnly"));
    }

    @Test
    void execve_ofANonRegularFile_isEACCES() throws Exception {
        root.mknod("/bin/null", Mode.S_IFCHR | 0777, Devices.makedev(1, 3));
        assertFailsUnchanged(vfs, Errno.EACCES, () -> user.execve("/bin"));
        assertFailsUnchanged(vfs, Errno.EACCES, () -> root.execve("/bin"));
        assertFailsUnchanged(vfs, Errno.EACCES, () -> root.execve("/bin/null"));
        assertFailsUnchanged(vfs, Errno.ENOENT, () -> root.execve("/bin/none"));
        root.symlink("plain", "/bin/link");
        user.execve("/bin/link");
    }

    @Test
    void execve_ofAFileOpenForWriting_isETXTBSY() throws Exception {
        Process writer = root.fork();
        int fd = writer.open("/bin/plain", O_WRONLY);
        assertFailsUnchanged(vfs, Errno.ETXTBSY, () -> user.execve("/bin/plain"));
        writer.close(fd);
        int reader = writer.open("/bin/plain", O_RDONLY);
        user.execve("/bin/plain");
        writer.close(reader);
    }

    @Test
    void execve_closesCloseOnExecDescriptorsOnly() throws Exception {
        int keep = user.open("/bin/plain", O_RDONLY);
        int drop = user.open("/bin/plain", O_RDONLY | O_CLOEXEC);
        int dropToo = user.dup(keep);
        user.setCloseOnExec(dropToo, true);
        user.execve("/bin/plain");
        assertArrayEquals(new int[] {keep}, user.openDescriptors());
        assertErrno(Errno.EBADF, () -> user.fstat(drop));
    }
}
