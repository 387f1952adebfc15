package io.pagevfs.core.kernel;

import io.pagevfs.core.Credentials;
import io.pagevfs.core.Devices;
import io.pagevfs.core.Fcntl;
import io.pagevfs.core.FileType;
import io.pagevfs.core.Mode;
import io.pagevfs.core.MountFlag;
import io.pagevfs.core.Process;
import io.pagevfs.core.Stat;
import io.pagevfs.core.Vfs;
import io.pagevfs.core.VfsConfig;
import io.pagevfs.core.VfsException;
import io.pagevfs.core.VolumeSpec;
import io.pagevfs.core.kernel.KernelScript.Caller;
import io.pagevfs.core.kernel.KernelScript.Scenario;
import io.pagevfs.core.kernel.KernelScript.Step;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a scenario on PageVFS: a fresh {@link Vfs} whose root volume has a root directory of mode
 * 1777 owned by root (as a tmpfs), and for each step a new process with the step's credentials and
 * umask, which makes the one call and exits. Answers are formatted exactly as the oracle formats
 * the kernel's.
 */
final class PageVfsInterpreter {
    private PageVfsInterpreter() {}

    private static final long VOLUME_BYTES = 16L << 20;

    private static final Map<String, Integer> OPEN_FLAGS =
            Map.of(
                    "rdonly", Fcntl.O_RDONLY,
                    "wronly", Fcntl.O_WRONLY,
                    "rdwr", Fcntl.O_RDWR,
                    "creat", Fcntl.O_CREAT,
                    "excl", Fcntl.O_EXCL,
                    "trunc", Fcntl.O_TRUNC,
                    "append", Fcntl.O_APPEND,
                    "directory", Fcntl.O_DIRECTORY,
                    "nofollow", Fcntl.O_NOFOLLOW);

    /** The answers of {@code scenario}, one per step; checks the Vfs's invariants at the end. */
    static List<String> run(Scenario scenario, boolean protectedHardlinks) {
        VfsConfig config =
                VfsConfig.builder()
                        .rootVolume(VolumeSpec.of("tmpfs", VOLUME_BYTES).withRoot(01777, 0, 0))
                        .protectedHardlinks(protectedHardlinks)
                        .build();
        List<String> answers = new ArrayList<>();
        try (Vfs vfs = Vfs.create(config)) {
            Process holder = vfs.newProcess(Credentials.root());
            for (Step step : scenario.steps()) {
                answers.add(answer(vfs, holder, step));
            }
            vfs.checkInvariants();
        }
        return answers;
    }

    private static String answer(Vfs vfs, Process holder, Step step) {
        if (step.op().equals("hold") || step.op().equals("release")) {
            return hold(holder, step.op(), step.args());
        }
        Caller c = step.caller();
        Process p =
                vfs.newProcess(
                        Credentials.ofIds(c.ruid(), c.euid(), c.rgid(), c.egid(), c.groups()));
        p.umask(c.umask());
        try {
            return call(p, step.op(), step.args());
        } catch (VfsException e) {
            return e.errno().name();
        } catch (RuntimeException e) {
            return "JAVA " + e;
        } finally {
            p.exit();
        }
    }

    private static String call(Process p, String op, List<String> a) throws VfsException {
        switch (op) {
            case "open":
                p.close(p.open(a.get(0), openFlags(a.get(1)), a.size() > 2 ? octal(a.get(2)) : 0));
                return "0";
            case "write":
                write(p, a.get(0), a.get(1));
                return "0";
            case "mkdir":
                p.mkdir(a.get(0), octal(a.get(1)));
                return "0";
            case "rmdir":
                p.rmdir(a.get(0));
                return "0";
            case "unlink":
                p.unlink(a.get(0));
                return "0";
            case "rename":
                p.rename(a.get(0), a.get(1));
                return "0";
            case "rename-noreplace":
                renameAt(p, a, Fcntl.RENAME_NOREPLACE);
                return "0";
            case "rename-exchange":
                renameAt(p, a, Fcntl.RENAME_EXCHANGE);
                return "0";
            case "link":
                p.link(a.get(0), a.get(1));
                return "0";
            case "symlink":
                p.symlink(a.get(0), a.get(1));
                return "0";
            case "readlink":
                return "0 " + p.readlink(a.get(0));
            case "chmod":
                p.chmod(a.get(0), octal(a.get(1)));
                return "0";
            case "chown":
                p.chown(a.get(0), Integer.parseInt(a.get(1)), Integer.parseInt(a.get(2)));
                return "0";
            case "lchown":
                p.lchown(a.get(0), Integer.parseInt(a.get(1)), Integer.parseInt(a.get(2)));
                return "0";
            case "truncate":
                p.truncate(a.get(0), Long.parseLong(a.get(1)));
                return "0";
            case "access":
                p.access(a.get(0), accessMode(a.get(1)));
                return "0";
            case "eaccess":
                p.accessAt(Fcntl.AT_FDCWD, a.get(0), accessMode(a.get(1)), Fcntl.AT_EACCESS);
                return "0";
            case "stat":
                return format(p.stat(a.get(0)));
            case "lstat":
                return format(p.lstat(a.get(0)));
            case "utime":
            case "lutime":
                int flags = op.equals("lutime") ? Fcntl.AT_SYMLINK_NOFOLLOW : 0;
                p.utimensAt(Fcntl.AT_FDCWD, a.get(0), time(a.get(1)), time(a.get(2)), flags);
                return "0";
            case "mknod":
                mknod(p, a);
                return "0";
            case "setxattr":
                p.setxattr(a.get(0), a.get(1), bytes(a.get(2)), xattrFlags(a.get(3)));
                return "0";
            case "lsetxattr":
                p.lsetxattr(a.get(0), a.get(1), bytes(a.get(2)), xattrFlags(a.get(3)));
                return "0";
            case "getxattr":
                return "0 " + new String(p.getxattr(a.get(0), a.get(1)), StandardCharsets.UTF_8);
            case "lgetxattr":
                return "0 " + new String(p.lgetxattr(a.get(0), a.get(1)), StandardCharsets.UTF_8);
            case "removexattr":
                p.removexattr(a.get(0), a.get(1));
                return "0";
            case "mount":
                p.mount(VolumeSpec.of("tmpfs", VOLUME_BYTES), a.get(0), mountFlags(a.get(1)));
                return "0";
            case "bind":
                p.bindMount(a.get(0), a.get(1), mountFlags(a.get(2)));
                return "0";
            case "remount":
                p.remount(a.get(0), mountFlags(a.get(1)));
                return "0";
            case "remount-bind":
                p.remountBind(a.get(0), mountFlags(a.get(1)));
                return "0";
            case "umount":
                p.umount(a.get(0));
                return "0";
            default:
                throw new IllegalArgumentException("unknown operation " + op);
        }
    }

    /** hold and release: the holder keeps descriptors open across steps, as the oracle does. */
    private static String hold(Process holder, String op, List<String> a) {
        try {
            if (op.equals("hold")) {
                holder.open(a.get(0), openFlags(a.get(1)));
            } else {
                for (int fd : holder.openDescriptors()) {
                    holder.close(fd);
                }
            }
            return "0";
        } catch (VfsException e) {
            return e.errno().name();
        }
    }

    private static void write(Process p, String path, String text) throws VfsException {
        int fd = p.open(path, Fcntl.O_WRONLY);
        try {
            byte[] b = bytes(text);
            p.write(fd, b, 0, b.length);
        } finally {
            p.close(fd);
        }
    }

    private static void renameAt(Process p, List<String> a, int flags) throws VfsException {
        p.renameAt(Fcntl.AT_FDCWD, a.get(0), Fcntl.AT_FDCWD, a.get(1), flags);
    }

    private static void mknod(Process p, List<String> a) throws VfsException {
        int type =
                switch (a.get(1)) {
                    case "c" -> Mode.S_IFCHR;
                    case "b" -> Mode.S_IFBLK;
                    default -> Mode.S_IFREG;
                };
        long dev =
                a.size() > 3
                        ? Devices.makedev(Integer.parseInt(a.get(3)), Integer.parseInt(a.get(4)))
                        : 0;
        p.mknod(a.get(0), type | octal(a.get(2)), dev);
    }

    /** As the oracle prints a stat: "0 mode=100644 uid=0 gid=0 nlink=1 size=0". */
    static String format(Stat st) {
        String s =
                "0 mode="
                        + Integer.toOctalString(st.mode())
                        + " uid="
                        + st.uid()
                        + " gid="
                        + st.gid()
                        + " nlink="
                        + st.nlink()
                        + " size="
                        + st.size();
        FileType t = st.type();
        if (t.isDevice()) {
            s += " rdev=" + Devices.major(st.rdev()) + "," + Devices.minor(st.rdev());
        }
        return s;
    }

    private static int octal(String s) {
        return Integer.parseInt(s, 8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int openFlags(String s) {
        int flags = 0;
        for (String f : s.split(",")) {
            Integer bit = OPEN_FLAGS.get(f);
            if (bit == null) {
                throw new IllegalArgumentException("unknown open flag " + f);
            }
            flags |= bit;
        }
        return flags;
    }

    private static int accessMode(String s) {
        int mode = 0;
        for (char ch : s.toCharArray()) {
            mode |=
                    switch (ch) {
                        case 'r' -> Mode.R_OK;
                        case 'w' -> Mode.W_OK;
                        case 'x' -> Mode.X_OK;
                        case 'f' -> Mode.F_OK;
                        default -> throw new IllegalArgumentException("access mode " + s);
                    };
        }
        return mode;
    }

    private static long time(String s) {
        switch (s) {
            case "now":
                return Fcntl.UTIME_NOW;
            case "omit":
                return Fcntl.UTIME_OMIT;
            default:
                return Long.parseLong(s) * 1_000_000_000L;
        }
    }

    private static int xattrFlags(String s) {
        switch (s) {
            case "create":
                return Fcntl.XATTR_CREATE;
            case "replace":
                return Fcntl.XATTR_REPLACE;
            case "-":
                return 0;
            default:
                throw new IllegalArgumentException("xattr flag " + s);
        }
    }

    private static Set<MountFlag> mountFlags(String s) {
        Set<MountFlag> flags = EnumSet.noneOf(MountFlag.class);
        for (String f : s.split(",")) {
            switch (f) {
                case "ro" -> flags.add(MountFlag.READ_ONLY);
                case "noexec" -> flags.add(MountFlag.NOEXEC);
                case "nosuid" -> flags.add(MountFlag.NOSUID);
                case "nodev" -> flags.add(MountFlag.NODEV);
                case "rw", "-" -> {}
                default -> throw new IllegalArgumentException("mount option " + f);
            }
        }
        return flags;
    }
}
