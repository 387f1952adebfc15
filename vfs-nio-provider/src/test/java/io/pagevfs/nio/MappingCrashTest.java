package io.pagevfs.nio;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The truncate guard keeps the JVM alive: mapped buffers of a PageVFS file are accessed after the
 * file was truncated to 0, deleted, or its whole filesystem closed, in forked JVMs, through every
 * access that crashes a JVM (SIGBUS) or throws InternalError when a mapped page lies beyond the end
 * of its file (research/mapping-design.md §3.2): ByteBuffer get/put (single, long, bulk), mismatch
 * and equals, CRC32, Adler32, Deflater, and FileChannel.write to a PageVFS file and to a JDK file.
 * Each access is made on a 1 MiB READ_WRITE mapping, a READ_ONLY mapping of the same range and a
 * slice, and its result is compared with a heap model (zeros after a truncate, the old content
 * after a delete or close, plus the buffers' own puts).
 *
 * <p>The child is {@link MappingCrashChild}, run with the test's own class path by the current
 * {@code java} and by {@code /usr/lib/jvm/temurin-25-jdk-amd64/bin/java} when that exists, in these
 * execution modes: {@code -Xint}; default flags, cold (accessed at once); {@code
 * -XX:TieredStopAtLevel=1} (C1), tiered, and {@code -XX:-TieredCompilation} (C2), each after 30,000
 * calls of the access on a valid mapping. A JVM fails the test when it exits non-zero (3: an access
 * threw InternalError, i.e. the guard let a page fall beyond the host file's end; 4: a result
 * differed from the model), when it leaves an hs_err file (written to a temporary directory with
 * {@code -XX:ErrorFile}) or prints "A fatal error has been detected".
 *
 * <p>By default (CI) this runs a subset: all access kinds batched in one JVM per cell, for truncate
 * and close in the tiered-warm and C1-warm modes, and delete in the cold mode, on each JDK (10
 * JVMs), plus {@link #newMappingsRacingTruncationNeverCrash}; about 45 s on a busy 2-core machine.
 * Run the whole matrix, each access kind × {truncate, delete, close} × all five modes × each JDK in
 * its own JVM (390 JVMs, several minutes), with the system property {@code
 * pagevfs.crashMatrix=full}:
 *
 * <pre>
 * mvn test -pl vfs-core,vfs-nio-provider -Dtest=MappingCrashTest -Dpagevfs.crashMatrix=full \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * When a batched JVM fails, each of its access kinds is rerun alone to name the culprit. With the
 * guard removed (HostPageStore.truncate shrinking the host file to the new size) the subset fails
 * as research/mapping-design.md §3.2 predicts: SIGBUS in StubRoutines::updateBytesCRC32,
 * updateBytesAdler32, vectorizedMismatch (equals, JDK 17) and libc memcpy under Deflater, and
 * InternalError from the plain ByteBuffer accesses.
 */
class MappingCrashTest {
    private static final String TEMURIN_25 = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java";
    private static final int WARMUP_CALLS = 30_000;
    private static final String FATAL = "A fatal error has been detected";

    /** How the child JVM runs its code. */
    enum Mode {
        INT(false, "-Xint"),
        COLD(false),
        C1(true, "-XX:TieredStopAtLevel=1"),
        TIERED(true),
        C2(true, "-XX:-TieredCompilation");

        final boolean warm;
        final List<String> flags;

        Mode(boolean warm, String... flags) {
            this.warm = warm;
            this.flags = List.of(flags);
        }
    }

    /** One child JVM: a java, a mode, an action and the access kinds it runs. */
    record Cell(String java, Mode mode, String action, List<MappingCrashChild.Kind> kinds) {
        String describe() {
            return jdkName(java)
                    + " "
                    + mode
                    + " "
                    + action
                    + " "
                    + (kinds.size() == MappingCrashChild.Kind.values().length
                            ? "ALL"
                            : kinds.stream().map(Enum::name).collect(Collectors.joining(",")));
        }
    }

    /** What a child JVM did. */
    record Outcome(Cell cell, int exit, String output, List<Path> hsErr, long millis) {
        boolean crashed() {
            return !hsErr.isEmpty() || output.contains(FATAL) || exit > 128;
        }

        boolean failed() {
            return exit != 0 || crashed() || !output.contains("DONE");
        }

        String verdict() {
            if (crashed()) {
                return "CRASH (exit " + exit + ", " + hsErr.size() + " hs_err)";
            }
            return switch (exit) {
                case 0 -> output.contains("DONE") ? "ok" : "no DONE";
                case 3 -> "InternalError";
                case 4 -> "wrong result";
                default ->
                        output.contains("InternalError")
                                ? "InternalError (uncaught, exit " + exit + ")"
                                : "exit " + exit;
            };
        }
    }

    @TempDir Path errorDir;

    @Test
    void mappedBuffersSurviveTruncateDeleteAndClose() throws Exception {
        boolean full = "full".equals(System.getProperty("pagevfs.crashMatrix"));
        List<MappingCrashChild.Kind> all = List.of(MappingCrashChild.Kind.values());
        List<Cell> cells = new ArrayList<>();
        for (String java : javas()) {
            if (full) {
                for (String action : List.of("truncate", "delete", "close")) {
                    for (Mode mode : Mode.values()) {
                        for (MappingCrashChild.Kind k : all) {
                            cells.add(new Cell(java, mode, action, List.of(k)));
                        }
                    }
                }
            } else {
                for (String action : List.of("truncate", "close")) {
                    for (Mode mode : List.of(Mode.TIERED, Mode.C1)) {
                        cells.add(new Cell(java, mode, action, all));
                    }
                }
                cells.add(new Cell(java, Mode.COLD, "delete", all));
            }
        }
        List<Outcome> outcomes = runAll(cells);
        List<Outcome> failures = new ArrayList<>();
        for (Outcome o : outcomes) {
            if (o.failed()) {
                failures.add(o);
                if (o.cell.kinds.size() > 1) {
                    // name the culprit: each kind of the failed batch on its own
                    List<Cell> singles = new ArrayList<>();
                    for (MappingCrashChild.Kind k : o.cell.kinds) {
                        singles.add(new Cell(o.cell.java, o.cell.mode, o.cell.action, List.of(k)));
                    }
                    for (Outcome single : runAll(singles)) {
                        if (single.failed()) {
                            failures.add(single);
                        }
                    }
                }
            }
        }
        report(outcomes, failures);
    }

    /**
     * A new mapping is registered before a truncate can shrink the host file under it: one thread
     * maps freshly written files and runs CRC32 over each mapping while another truncates and
     * regrows them (before the fix of MapCalls this crashed in updateBytesCRC32 within 2 s).
     */
    @Test
    void newMappingsRacingTruncationNeverCrash() throws Exception {
        List<Cell> cells = new ArrayList<>();
        for (String java : javas()) {
            cells.add(new Cell(java, Mode.TIERED, "race", List.of()));
        }
        List<Outcome> outcomes = runAll(cells);
        report(outcomes, outcomes.stream().filter(Outcome::failed).collect(Collectors.toList()));
    }

    private void report(List<Outcome> outcomes, List<Outcome> failures) {
        StringBuilder table = new StringBuilder();
        for (Outcome o : outcomes) {
            table.append(
                    String.format(
                            Locale.ROOT,
                            "%-40s %-28s %6d ms%n",
                            o.cell.describe(),
                            o.verdict(),
                            o.millis));
        }
        System.out.print(table);
        if (!failures.isEmpty()) {
            StringBuilder msg = new StringBuilder();
            msg.append(failures.size()).append(" child JVMs failed:\n");
            for (Outcome f : failures) {
                msg.append("== ")
                        .append(f.cell.describe())
                        .append(": ")
                        .append(f.verdict())
                        .append('\n')
                        .append(tail(f.output, 40));
                for (Path h : f.hsErr) {
                    msg.append("-- ").append(h).append('\n').append(problematicFrame(h));
                }
            }
            fail(msg.toString());
        }
    }

    /** The current java, and Temurin 25 if it is installed and not the same. */
    static List<String> javas() throws IOException {
        Set<String> out = new LinkedHashSet<>();
        Path current = Path.of(System.getProperty("java.home"), "bin", "java");
        out.add(current.toRealPath().toString());
        Path temurin = Path.of(TEMURIN_25);
        if (Files.isExecutable(temurin)) {
            out.add(temurin.toRealPath().toString());
        }
        return new ArrayList<>(out);
    }

    static String jdkName(String java) {
        Path home = Path.of(java).getParent().getParent();
        return home.getFileName().toString();
    }

    private List<Outcome> runAll(List<Cell> cells) throws Exception {
        int parallel = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (Cell c : cells) {
                futures.add(pool.submit(() -> run(c)));
            }
            List<Outcome> out = new ArrayList<>();
            for (Future<Outcome> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private Outcome run(Cell cell) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(errorDir, "jvm");
        List<String> cmd = new ArrayList<>();
        cmd.add(cell.java);
        cmd.add("-Xmx256m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:-CreateCoredumpOnCrash");
        cmd.add("-XX:ErrorFile=" + dir.resolve("hs_err_pid%p.log"));
        cmd.addAll(cell.mode.flags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(MappingCrashChild.class.getName());
        if (cell.action.equals("race")) {
            cmd.add("race");
            cmd.add("2");
        } else {
            cmd.add(cell.action);
            cmd.add(cell.kinds.stream().map(Enum::name).collect(Collectors.joining(",")));
            cmd.add(Integer.toString(cell.mode.warm ? WARMUP_CALLS : 0));
        }
        long t0 = System.nanoTime();
        Process p =
                new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        CompletableFuture<String> out =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return new String(
                                        p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                            } catch (IOException e) {
                                return e.toString();
                            }
                        });
        int exit;
        if (p.waitFor(300, TimeUnit.SECONDS)) {
            exit = p.exitValue();
        } else {
            p.destroyForcibly().waitFor();
            exit = -1;
        }
        String output = out.join();
        List<Path> hsErr;
        try (Stream<Path> files = Files.list(dir)) {
            hsErr =
                    files.filter(f -> f.getFileName().toString().startsWith("hs_err"))
                            .sorted()
                            .collect(Collectors.toList());
        }
        return new Outcome(cell, exit, output, hsErr, (System.nanoTime() - t0) / 1_000_000);
    }

    private static String tail(String s, int lines) {
        String[] all = s.split("\n");
        return String.join(
                        "\n", Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length))
                + "\n";
    }

    /** The hs_err lines that say where the JVM died. */
    private static String problematicFrame(Path hsErr) {
        try {
            return Files.readAllLines(hsErr, StandardCharsets.UTF_8).stream()
                            .filter(
                                    l ->
                                            l.startsWith("# Problematic frame")
                                                    || l.startsWith("# C ")
                                                    || l.startsWith("# J ")
                                                    || l.startsWith("# V ")
                                                    || l.startsWith("#  SIG")
                                                    || l.startsWith("# v "))
                            .collect(Collectors.joining("\n"))
                    + "\n";
        } catch (IOException e) {
            return e + "\n";
        }
    }
}
