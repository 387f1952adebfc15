package io.pagevfs.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pagevfs.core.Credentials;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Permission checks against the real kernel: a scripted list of {@code Files} operations runs as
 * uid 1000 on the JDK's default provider (a JVM started with {@code setpriv}) in a tree prepared as
 * root, and on PageVFS as its default user (uid 1000) in the same tree; every line must have the
 * same outcome. EPERM is compared in the JDK's form (the one deliberate difference, see
 * docs/DIFFERENCES.md). Skipped where the test cannot switch users: not root, or no setpriv.
 */
class PermissionDifferentialExamples {
    private static final String SETPRIV = "/usr/bin/setpriv";

    /** Root's tree: world-writable and sticky directories, other users' files and groups. */
    static final List<String> SETUP =
            List.of(
                    "dir pub 0777 0 0",
                    "dir sticky 1777 0 0",
                    "file sticky/rootfile 0666 0 0 r",
                    "file sticky/userfile 0644 1000 1000 u",
                    "dir own 0755 1000 1000",
                    "dir own/ro 0555 1000 1000",
                    "file own/ro/f 0644 1000 1000 hi",
                    "file own/mine 0444 1000 1000 mine",
                    "dir root 0755 0 0",
                    "file root/secret 0600 0 0 s",
                    "file root/public 0644 0 0 p",
                    "file root/exec 0711 0 0 e",
                    "file root/noexec 0644 0 0 n",
                    "dir root/noread 0311 0 0",
                    "file root/noread/f 0644 0 0 f",
                    "dir root/notrav 0744 0 0",
                    "file root/notrav/f 0644 0 0 t",
                    "dir root/grp 0770 0 1000",
                    "file root/grp/f 0660 0 1000 g",
                    "dir root/other 0770 0 2000",
                    "file root/other/f 0666 0 2000 o");

    /** What uid 1000 tries. */
    static final List<String> SCRIPT =
            List.of(
                    "read root/secret",
                    "read root/public",
                    "write root/public x",
                    "append root/public x",
                    "open root/public READ,WRITE",
                    "open root/public READ",
                    "create root/new",
                    "mkdir root/newdir",
                    "delete root/public",
                    "list root/noread",
                    "read root/noread/f",
                    "list root/notrav",
                    "read root/notrav/f",
                    "exists root/notrav/f",
                    "size root/notrav/f",
                    "can root/public",
                    "can root/secret",
                    "can root/exec",
                    "can root/noexec",
                    "can root/notrav",
                    "access root/exec EXECUTE",
                    "access root/noexec EXECUTE",
                    "access root/secret READ",
                    "read root/grp/f",
                    "write root/grp/f y",
                    "create root/grp/new",
                    "list root/other",
                    "read root/other/f",
                    "chmod root/public rwxrwxrwx",
                    "chown own/mine 0",
                    "chown own/mine 1000",
                    "touch root/public",
                    "touch own/mine",
                    "delete sticky/rootfile",
                    "move sticky/rootfile sticky/moved",
                    "write sticky/rootfile z",
                    "delete sticky/userfile",
                    "create sticky/new",
                    "create pub/new",
                    "delete pub/new",
                    "mkdir own/ro/sub",
                    "delete own/ro/f",
                    "delete own/ro",
                    "write own/mine x",
                    "chmod own/mine rw-r--r--",
                    "write own/mine x",
                    "link own/hard root/secret",
                    "link own/hard2 root/public",
                    "link own/hard3 own/mine",
                    "symlink own/sl ../root/secret",
                    "read own/sl",
                    "realpath own/sl",
                    "copy root/secret own/c1",
                    "copy root/public own/c2",
                    "read own/c2",
                    "move own/c2 root/c2",
                    "move own/c2 pub/c2",
                    "list own",
                    "list pub");

    private final List<Path> toDelete = new ArrayList<>();

    @AfterEach
    void deleteTemporaryTrees() throws IOException {
        for (Path p : toDelete) {
            try (Stream<Path> s = Files.walk(p)) {
                for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(x);
                }
            }
        }
    }

    @Test
    void permissionChecks_asUid1000_matchTheLinuxKernel() throws Exception {
        assumeTrue(Files.isExecutable(Path.of(SETPRIV)), "needs " + SETPRIV);
        assumeTrue(
                ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0,
                "needs root to prepare the tree and switch users");
        List<String> expected = runOnJdkAsUid1000();
        List<String> actual;
        try (PageVfsFileSystem fs = PageVfs.newFileSystem();
                PageVfsFileSystem root = fs.newView(Credentials.root())) {
            Path base = root.getPath("/w");
            Files.createDirectory(base);
            PermissionScript.prepare(base, SETUP);
            actual = PermissionScript.run(fs.getPath("/w"), SCRIPT, true);
        }
        assertEquals(String.join("\n", expected), String.join("\n", actual));
    }

    /** Prepares the tree under /dev/shm and runs the script in a JVM as uid and gid 1000. */
    private List<String> runOnJdkAsUid1000() throws Exception {
        Path base = temporaryDirectory("pagevfs-perm");
        PermissionScript.prepare(base, SETUP);
        Path classes = temporaryDirectory("pagevfs-perm-cp");
        copyClasses(classes, PermissionScript.class, Outcomes.class);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p =
                new ProcessBuilder(
                                SETPRIV,
                                "--reuid=1000",
                                "--regid=1000",
                                "--clear-groups",
                                java.toString(),
                                "-cp",
                                classes.toString(),
                                PermissionScript.class.getName(),
                                base.toString())
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
        try (OutputStream in = p.getOutputStream()) {
            in.write((String.join("\n", SCRIPT) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(p.waitFor(60, TimeUnit.SECONDS), "the forked JVM did not finish");
        assertEquals(0, p.exitValue(), "the forked JVM failed: " + out);
        return out.lines().toList();
    }

    private Path temporaryDirectory(String prefix) throws IOException {
        Path shm = Path.of("/dev/shm");
        Path dir =
                Files.isDirectory(shm)
                        ? Files.createTempDirectory(shm, prefix)
                        : Files.createTempDirectory(prefix);
        toDelete.add(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    /** Copies the class files of {@code types} and their nested classes into {@code dir}. */
    private static void copyClasses(Path dir, Class<?>... types) throws IOException {
        for (Class<?> type : types) {
            Path source =
                    Path.of(type.getProtectionDomain().getCodeSource().getLocation().getPath());
            Path pkg = source.resolve(type.getPackageName().replace('.', '/'));
            Path target =
                    Files.createDirectories(dir.resolve(type.getPackageName().replace('.', '/')));
            try (Stream<Path> s = Files.list(pkg)) {
                for (Path c : s.toList()) {
                    String n = c.getFileName().toString();
                    if (n.equals(type.getSimpleName() + ".class")
                            || n.startsWith(type.getSimpleName() + "$")) {
                        try (InputStream in = Files.newInputStream(c)) {
                            Files.copy(in, target.resolve(n));
                        }
                    }
                }
            }
        }
        // readable by uid 1000
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path x : s.toList()) {
                Files.setPosixFilePermissions(
                        x,
                        PosixFilePermissions.fromString(
                                Files.isDirectory(x) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }
}
