package io.pagevfs.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mmap rule table ({@link MapRules}, {@link MapCalls}) against the running Linux kernel.
 *
 * <p>The oracle is {@code mmap_oracle.c} (a test resource next to this class), compiled with gcc
 * into {@code target/mmap-oracle/} at test time. Run as root, it mounts a tmpfs in a temporary
 * directory, creates files owned by uid/gid 1000 with modes 0644, 0755 (x bits, which mmap must
 * ignore), 0666 and 0600, an empty file and a directory, and for each mount state (rw, noexec, ro,
 * ro+noexec) and each caller class (root, the owner, a member of the owner's group, another user; a
 * forked child after setgroups/setresgid/setresuid) opens every file O_RDONLY, O_WRONLY and O_RDWR
 * and calls mmap on every descriptor that opened: every subset of PROT_READ, PROT_WRITE and
 * PROT_EXEC (and PROT_NONE) with MAP_SHARED, MAP_PRIVATE, MAP_SHARED_VALIDATE and the invalid type
 * 0; unaligned, negative, overflowing and beyond-EOF offsets; lengths 0, 1, SIZE_MAX;
 * MAP_SHARED_VALIDATE with MAP_SYNC (EOPNOTSUPP) and with a legacy flag; bad descriptors; and the
 * combinations that show which check wins. It prints one line per case with the errno (0 when the
 * call succeeded).
 *
 * <p>This test builds the same files, mounts, credentials and descriptors in a {@link Vfs} with 4
 * KiB pages, replays every line through {@link Process#open} and {@link Process#mmap}, and asserts
 * the same result. EOPNOTSUPP and ENOTSUP are the same number on Linux (95), {@link Errno#ENOTSUP}.
 *
 * <p>Skipped (with the reason) when this is not Linux, not root, there is no gcc, or the tmpfs
 * cannot be mounted. The volume's memory limit is large because PageVFS charges a mapping beyond
 * EOF to the volume (its host file has no holes) where tmpfs would not.
 */
class MmapKernelOracleTest {
    private static final int CONTENT_SIZE = 8192;

    /** What the oracle creates, as (name, mode, directory?). */
    private record OracleFile(String name, int mode, int size, boolean dir) {}

    private static final List<OracleFile> FILES =
            List.of(
                    new OracleFile("f0644", 0644, CONTENT_SIZE, false),
                    new OracleFile("f0755", 0755, CONTENT_SIZE, false),
                    new OracleFile("f0666", 0666, CONTENT_SIZE, false),
                    new OracleFile("f0600", 0600, CONTENT_SIZE, false),
                    new OracleFile("empty", 0644, 0, false),
                    new OracleFile("d", 0755, 0, true));

    private static final Map<String, Credentials> CALLERS =
            Map.of(
                    "root", Credentials.root(),
                    "owner", Credentials.of(1000, 1000),
                    "group", Credentials.of(1001, 1001, 1000),
                    "other", Credentials.of(1002, 1002));

    private static final Map<String, Set<MountFlag>> STATES =
            Map.of(
                    "rw", Set.of(),
                    "noexec", Set.of(MountFlag.NOEXEC),
                    "ro", Set.of(MountFlag.READ_ONLY),
                    "ro,noexec", Set.of(MountFlag.READ_ONLY, MountFlag.NOEXEC));

    private static final Map<String, Integer> OPEN_MODES =
            Map.of("O_RDONLY", Fcntl.O_RDONLY, "O_WRONLY", Fcntl.O_WRONLY, "O_RDWR", Fcntl.O_RDWR);

    /** One line of the oracle's output. */
    private record Case(
            String line,
            String state,
            String file,
            String caller,
            String open,
            String op,
            int prot,
            int flags,
            long offset,
            long length,
            int errno) {
        static Case parse(String line) {
            int arrow = line.lastIndexOf(" -> ");
            Map<String, String> kv = new HashMap<>();
            for (String token : line.substring("case ".length(), arrow).split(" ")) {
                int eq = token.indexOf('=');
                kv.put(token.substring(0, eq), token.substring(eq + 1));
            }
            boolean mmap = kv.get("op").equals("mmap");
            return new Case(
                    line,
                    kv.get("state"),
                    kv.get("file"),
                    kv.get("caller"),
                    kv.get("open"),
                    kv.get("op"),
                    mmap ? Integer.parseInt(kv.get("prot")) : 0,
                    mmap ? Integer.decode(kv.get("flags")) : 0,
                    mmap ? Long.parseLong(kv.get("off")) : 0,
                    mmap ? Long.parseLong(kv.get("len")) : 0,
                    Integer.parseInt(line.substring(arrow + 4).trim()));
        }

        /** The descriptor this case opens or uses: everything before " op=". */
        String descriptorKey() {
            return line.substring(0, line.indexOf(" op="));
        }
    }

    @Test
    void mmapRulesMatchTheRunningKernel(@TempDir Path tmp) throws Exception {
        assumeTrue(
                System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux"),
                "the kernel oracle needs Linux");
        assumeTrue(isRoot(), "the kernel oracle needs root (to mount a tmpfs and setresuid)");
        Path gcc = onPath("gcc");
        assumeTrue(gcc != null, "the kernel oracle needs gcc on the PATH");

        Path oracle = compileOracle(gcc);
        // every caller class must be able to reach the mount point
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path mnt = Files.createDirectory(tmp.resolve("mnt"));
        HostRun run = HostRun.run(List.of(oracle.toString(), mnt.toString()), 120);
        assumeTrue(run.exit != 77, "kernel oracle skipped: " + run.out.trim());
        assertEquals(0, run.exit, "the oracle failed:\n" + run.out + run.err);

        List<Case> cases = new ArrayList<>();
        for (String line : run.out.split("\n")) {
            if (line.startsWith("case ")) {
                cases.add(Case.parse(line));
            }
        }
        assertTrue(cases.size() > 1000, "the oracle printed only " + cases.size() + " cases");

        Map<String, List<Case>> byState = new LinkedHashMap<>();
        for (Case c : cases) {
            byState.computeIfAbsent(c.state, s -> new ArrayList<>()).add(c);
        }
        assertEquals(STATES.keySet(), byState.keySet(), "mount states of the oracle");

        List<String> mismatches = new ArrayList<>();
        for (Map.Entry<String, List<Case>> e : byState.entrySet()) {
            replay(e.getKey(), e.getValue(), mismatches);
        }
        if (!mismatches.isEmpty()) {
            fail(
                    mismatches.size()
                            + " of "
                            + cases.size()
                            + " cases differ from the kernel (kernel errno vs PageVFS):\n"
                            + String.join(
                                    "\n", mismatches.subList(0, Math.min(60, mismatches.size()))));
        }
    }

    /** Replays one mount state's cases in a fresh Vfs set up as the oracle's tmpfs. */
    private static void replay(String state, List<Case> cases, List<String> mismatches)
            throws Exception {
        try (Vfs vfs = Vfs.create(VfsConfig.builder().pageSize(4096).build())) {
            Process root = vfs.newProcess(Credentials.root());
            root.mkdir("/mnt", 0755);
            root.mount(VolumeSpec.of("oracle", 1L << 30).withRoot(0755, 0, 0), "/mnt", Set.of());
            byte[] content = new byte[CONTENT_SIZE];
            for (int i = 0; i < content.length; i++) {
                content[i] = (byte) (i * 31 + 7);
            }
            for (OracleFile f : FILES) {
                String path = "/mnt/" + f.name;
                if (f.dir) {
                    root.mkdir(path, f.mode);
                } else {
                    int fd = root.open(path, Fcntl.O_CREAT | Fcntl.O_EXCL | Fcntl.O_WRONLY, f.mode);
                    root.write(fd, content, 0, f.size);
                    root.close(fd);
                }
                root.chown(path, 1000, 1000);
                root.chmod(path, f.mode);
            }
            if (!STATES.get(state).isEmpty()) {
                root.remount("/mnt", STATES.get(state));
            }
            Map<String, Process> callers = new HashMap<>();
            for (Map.Entry<String, Credentials> c : CALLERS.entrySet()) {
                callers.put(c.getKey(), vfs.newProcess(c.getValue()));
            }
            String openKey = null;
            int openFd = -1;
            Process openBy = null;
            for (Case c : cases) {
                Process p = callers.get(c.caller);
                int result;
                if (c.op.equals("open")) {
                    if (openFd >= 0) {
                        openBy.close(openFd);
                        openFd = -1;
                    }
                    try {
                        openFd = p.open("/mnt/" + c.file, OPEN_MODES.get(c.open));
                        openBy = p;
                        openKey = c.descriptorKey();
                        result = 0;
                    } catch (VfsException x) {
                        result = x.errno().code();
                    }
                } else {
                    int fd;
                    if (c.open.startsWith("fd")) {
                        fd = Integer.parseInt(c.open.substring(2));
                    } else {
                        assertEquals(openKey, c.descriptorKey(), "mmap without its open line");
                        fd = openFd;
                    }
                    result = mmapResult(p, fd, c);
                }
                if (result != c.errno) {
                    mismatches.add(c.line + " but PageVFS " + name(result));
                }
            }
            if (openFd >= 0) {
                openBy.close(openFd);
            }
            vfs.checkInvariants();
        }
    }

    private static int mmapResult(Process p, int fd, Case c) {
        try {
            FileMapping m = p.mmap(fd, c.offset, c.length, c.prot, c.flags);
            if ((c.prot & Mman.PROT_READ) != 0 && c.offset == 0 && m.length() > 0) {
                m.buffer().get(0); // the mapping is usable
            }
            return 0;
        } catch (VfsException x) {
            return x.errno().code();
        }
    }

    private static String name(int errno) {
        return errno == 0 ? "0" : errno + " " + Errno.ofCode(errno);
    }

    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    private static Path onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, program);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    /** Compiles the oracle into target/mmap-oracle (next to target/test-classes). */
    private static Path compileOracle(Path gcc) throws IOException, InterruptedException {
        Path out = targetDir().resolve("mmap-oracle");
        Files.createDirectories(out);
        Path source = out.resolve("mmap_oracle.c");
        try (InputStream in = MmapKernelOracleTest.class.getResourceAsStream("mmap_oracle.c")) {
            assertTrue(in != null, "the resource mmap_oracle.c is missing");
            Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
        }
        Path binary = out.resolve("mmap_oracle");
        HostRun cc =
                HostRun.run(
                        List.of(
                                gcc.toString(),
                                "-std=gnu11",
                                "-O1",
                                "-Wall",
                                "-o",
                                binary.toString(),
                                source.toString()),
                        120);
        assertEquals(0, cc.exit, "gcc failed:\n" + cc.out + cc.err);
        return binary;
    }

    private static Path targetDir() {
        try {
            Path classes =
                    Path.of(
                            MmapKernelOracleTest.class
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                                    .toURI());
            return classes.getParent(); // target/test-classes -> target
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("target");
        }
    }

    /** A finished host process. */
    private record HostRun(int exit, String out, String err) {
        static HostRun run(List<String> command, int timeoutSeconds)
                throws IOException, InterruptedException {
            java.lang.Process p = new ProcessBuilder(command).start();
            p.getOutputStream().close();
            // the outputs are read concurrently so that neither pipe fills up
            var err =
                    java.util.concurrent.CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    return new String(
                                            p.getErrorStream().readAllBytes(),
                                            StandardCharsets.UTF_8);
                                } catch (IOException e) {
                                    return e.toString();
                                }
                            });
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("timed out: " + command);
            }
            return new HostRun(p.exitValue(), out, err.join());
        }
    }
}
