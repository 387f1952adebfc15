package io.pagevfs.core.kernel;

import io.pagevfs.core.kernel.KernelScript.Scenario;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Asks the running Linux kernel: compiles {@code kernel/oracle.c} with gcc into {@code
 * target/kernel-oracle/} and runs every scenario through it in one process, on a tmpfs mounted in a
 * temporary directory inside a private mount namespace (so nothing stays mounted, even if the test
 * is killed). Needs root, gcc and tmpfs; without them the answer says why it is unavailable.
 */
final class KernelOracle {
    private KernelOracle() {}

    private static final int UNAVAILABLE = 77;
    private static final long TIMEOUT_SECONDS = 120;

    /** The kernel's answers, one list per scenario key, or why the kernel could not be asked. */
    record Answers(Map<String, List<String>> byScenario, @Nullable String unavailable) {
        static Answers unavailable(String why) {
            return new Answers(Map.of(), why);
        }
    }

    static Answers ask(List<Scenario> scenarios) throws IOException, InterruptedException {
        if (!System.getProperty("os.name", "").equals("Linux")) {
            return Answers.unavailable("the kernel oracle needs Linux");
        }
        if (effectiveUid() != 0) {
            return Answers.unavailable("the kernel oracle needs root (to mount a tmpfs)");
        }
        Path dir = workDirectory();
        Path binary = dir.resolve("oracle");
        String cannotCompile = compile(dir, binary);
        if (cannotCompile != null) {
            return Answers.unavailable(cannotCompile);
        }
        Path script = dir.resolve("script.txt");
        Files.writeString(script, KernelScript.oracleInput(scenarios));
        Path scratch = Files.createTempDirectory("pagevfs-kernel-");
        try {
            return run(binary, script, scratch, dir);
        } finally {
            Files.deleteIfExists(scratch);
        }
    }

    /** target/kernel-oracle, next to target/test-classes. */
    static Path workDirectory() throws IOException {
        try {
            Path classes =
                    Path.of(
                            KernelOracle.class
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                                    .toURI());
            Path dir = classes.resolveSibling("kernel-oracle");
            Files.createDirectories(dir);
            return dir;
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate the test classes", e);
        }
    }

    /** The effective uid from /proc/self/status ("Uid: real effective saved fs"). */
    private static int effectiveUid() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return Integer.parseInt(line.substring(4).strip().split("\\s+")[1]);
            }
        }
        throw new IOException("/proc/self/status has no Uid line");
    }

    /**
     * Compiles the oracle unless the binary was built from the same source; returns why it cannot
     * be compiled, or null. A compile error fails the test.
     */
    private static @Nullable String compile(Path dir, Path binary)
            throws IOException, InterruptedException {
        Path source = dir.resolve("oracle.c");
        byte[] text;
        try (InputStream in = KernelOracle.class.getResourceAsStream("/kernel/oracle.c")) {
            if (in == null) {
                throw new IOException("missing test resource /kernel/oracle.c");
            }
            text = in.readAllBytes();
        }
        if (Files.isExecutable(binary)
                && Files.exists(source)
                && Arrays.equals(Files.readAllBytes(source), text)) {
            return null;
        }
        Files.deleteIfExists(binary);
        Files.write(source, text);
        Path log = dir.resolve("gcc.log");
        Process gcc;
        try {
            gcc =
                    new ProcessBuilder(
                                    "gcc",
                                    "-O1",
                                    "-Wall",
                                    "-Wextra",
                                    "-Werror",
                                    "-o",
                                    binary.toString(),
                                    source.toString())
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile())
                            .start();
        } catch (IOException e) {
            return "gcc is not available: " + e.getMessage();
        }
        if (!gcc.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            gcc.destroyForcibly();
            throw new IOException("gcc did not finish in " + TIMEOUT_SECONDS + " s");
        }
        if (gcc.exitValue() != 0) {
            throw new IOException("gcc failed on oracle.c:\n" + Files.readString(log));
        }
        return null;
    }

    private static Answers run(Path binary, Path script, Path scratch, Path dir)
            throws IOException, InterruptedException {
        Path out = dir.resolve("answers.txt");
        Path err = dir.resolve("oracle.log");
        Process oracle =
                new ProcessBuilder(binary.toString(), scratch.toString())
                        .redirectInput(script.toFile())
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
        if (!oracle.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            oracle.destroyForcibly().waitFor();
            throw new IOException("the kernel oracle did not finish in " + TIMEOUT_SECONDS + " s");
        }
        String log = Files.readString(err).strip();
        if (oracle.exitValue() == UNAVAILABLE) {
            return Answers.unavailable("the kernel oracle cannot run here: " + log);
        }
        if (oracle.exitValue() != 0) {
            throw new IOException(
                    "the kernel oracle failed (exit " + oracle.exitValue() + "): " + log);
        }
        return new Answers(parse(Files.readAllLines(out, StandardCharsets.UTF_8)), null);
    }

    private static Map<String, List<String>> parse(List<String> lines) {
        Map<String, List<String>> byScenario = new HashMap<>();
        List<String> current = null;
        for (String line : lines) {
            if (line.startsWith("== ")) {
                current = new ArrayList<>();
                byScenario.put(line.substring(3), current);
            } else if (current != null) {
                current.add(line);
            }
        }
        return byScenario;
    }
}
