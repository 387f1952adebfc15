package io.pagevfs.cli;

import static io.pagevfs.core.Fcntl.O_CREAT;
import static io.pagevfs.core.Fcntl.O_RDONLY;
import static io.pagevfs.core.Fcntl.O_WRONLY;

import io.pagevfs.core.Credentials;
import io.pagevfs.core.DirEntry;
import io.pagevfs.core.FsStat;
import io.pagevfs.core.Mode;
import io.pagevfs.core.MountFlag;
import io.pagevfs.core.Process;
import io.pagevfs.core.Stat;
import io.pagevfs.core.Vfs;
import io.pagevfs.core.VfsConfig;
import io.pagevfs.core.VfsException;
import io.pagevfs.core.VolumeSpec;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code pagevfs demo}: shows, on an embedded in-memory machine, what PageVFS does. Touches nothing
 * on disk. Each feature adds its section here.
 */
@Command(
        name = "demo",
        description = "Show PageVFS at work on an in-memory machine (nothing on disk is touched).")
final class DemoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    private PrintWriter out;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        try (Vfs vfs = Vfs.create(VfsConfig.builder().memoryLimit(64L << 20).build())) {
            Process root = vfs.newProcess(Credentials.root());
            Process alice = vfs.newProcess(Credentials.of(1000, 1000));
            Process bob = vfs.newProcess(Credentials.of(1001, 1001));
            tree(root, alice);
            permissions(alice, bob);
            readOnlyMount(root);
            sparseFile(alice);
        }
        new NioDemo(out).run();
        out.println();
        out.println("Done: everything above lived in this JVM's memory.");
        return 0;
    }

    private void heading(String title) {
        out.println();
        out.println("== " + title);
    }

    private void tree(Process root, Process alice) throws VfsException {
        heading("A tree built in memory");
        root.mkdir("/home", 0755);
        root.mkdir("/home/alice", 0750);
        root.chown("/home/alice", 1000, 1000);
        root.mkdir("/etc", 0755);
        writeFile(root, "/etc/motd", "Welcome to PageVFS\n", 0644);
        writeFile(alice, "/home/alice/diary.txt", "Dear diary: pages are 4 KiB.\n", 0600);
        alice.symlink("diary.txt", "/home/alice/latest");
        list(root, "/", "");
    }

    private void list(Process p, String dir, String indent) throws VfsException {
        for (DirEntry e : p.listDirectory(dir)) {
            String path = dir.equals("/") ? "/" + e.name() : dir + "/" + e.name();
            Stat st = p.lstat(path);
            String extra = st.isSymlink() ? " -> " + p.readlink(path) : "";
            out.printf(
                    "  %s%s %4d:%-4d %6d  %s%s%n",
                    indent,
                    Mode.toString(st.mode()),
                    st.uid(),
                    st.gid(),
                    st.size(),
                    e.name(),
                    extra);
            if (st.isDirectory()) {
                list(p, path, indent + "  ");
            }
        }
    }

    private void permissions(Process alice, Process bob) throws VfsException {
        heading("Permissions are enforced (Linux DAC)");
        try {
            bob.open("/home/alice/diary.txt", O_RDONLY);
            out.println("  bob (uid 1001) read alice's diary: this should not happen");
        } catch (VfsException e) {
            out.println(
                    "  bob (uid 1001) opens /home/alice/diary.txt: refused, "
                            + e.errno()
                            + " ("
                            + e.getMessage()
                            + ")");
        }
        out.println(
                "  alice (uid 1000, the owner) reads it: \""
                        + readFile(alice, "/home/alice/diary.txt").trim()
                        + "\"");
    }

    private void readOnlyMount(Process root) throws VfsException {
        heading("A read-only mount");
        root.mkdir("/srv", 0755);
        root.mount(VolumeSpec.of("srv", 8L << 20), "/srv", Set.of());
        writeFile(root, "/srv/data.txt", "served\n", 0644);
        root.remount("/srv", Set.of(MountFlag.READ_ONLY));
        out.println("  mounted an 8 MiB volume at /srv, wrote data.txt, remounted it read-only");
        try {
            root.open("/srv/data.txt", O_WRONLY);
            out.println("  root opened it for writing: this should not happen");
        } catch (VfsException e) {
            out.println(
                    "  root opens /srv/data.txt for writing: refused, "
                            + e.errno()
                            + " ("
                            + e.getMessage()
                            + ")");
        }
        out.println("  reading still works: \"" + readFile(root, "/srv/data.txt").trim() + "\"");
    }

    private void sparseFile(Process alice) throws VfsException {
        heading("A sparse file");
        int fd = alice.open("/home/alice/sparse.img", O_CREAT | O_WRONLY, 0644);
        alice.pwrite(
                fd, ByteBuffer.wrap("end".getBytes(StandardCharsets.US_ASCII)), (1L << 40) - 3);
        Stat st = alice.fstat(fd);
        alice.close(fd);
        FsStat fs = alice.statfs("/home/alice");
        out.printf(
                "  size %,d bytes (1 TiB), memory held %,d bytes (%d blocks of 512 B)%n",
                st.size(), st.blocks() * 512, st.blocks());
        out.printf(
                "  the root volume holds %,d pages of %d bytes for all its files%n",
                fs.usedBlocks(), fs.blockSize());
    }

    private static void writeFile(Process p, String path, String text, int mode)
            throws VfsException {
        int fd = p.open(path, O_CREAT | O_WRONLY, mode);
        try {
            p.write(fd, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        } finally {
            p.close(fd);
        }
    }

    private static String readFile(Process p, String path) throws VfsException {
        int fd = p.open(path, O_RDONLY);
        try {
            ByteBuffer buf = ByteBuffer.allocate((int) p.fstat(fd).size());
            p.read(fd, buf);
            return new String(buf.array(), StandardCharsets.UTF_8);
        } finally {
            p.close(fd);
        }
    }
}
