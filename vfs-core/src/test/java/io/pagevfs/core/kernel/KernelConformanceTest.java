package io.pagevfs.core.kernel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pagevfs.core.kernel.KernelOracle.Answers;
import io.pagevfs.core.kernel.KernelScript.Scenario;
import io.pagevfs.core.kernel.KernelScript.Step;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * Differential conformance of vfs-core against the Linux kernel of the machine (the oracle, as
 * DECISIONS.md "POSIX: the running Linux kernel is the oracle" says).
 *
 * <p>The scenarios live in {@code src/test/resources/kernel/*.txt} (format: {@link KernelScript}).
 * Two factories run them:
 *
 * <ul>
 *   <li>{@link #pageVfsAnswersAsTheKernelDoes()} runs every scenario on the kernel (through {@code
 *       kernel/oracle.c}, see {@link KernelOracle}) and on PageVFS, and requires the same answer on
 *       every line; it also requires the kernel to still give the recorded answer, so the scripts
 *       stay true. It needs root, gcc and tmpfs and is skipped, saying why, without them.
 *   <li>{@link #pageVfsGivesTheRecordedKernelAnswers()} runs PageVFS alone against the answers
 *       recorded in the scripts, so the conformance is checked on any machine.
 * </ul>
 *
 * <p>To record answers for new or changed lines, run as root with {@code
 * -Dpagevfs.kernel.record=true}: the scripts with the kernel's answers filled in are written to
 * {@code target/kernel-oracle/recorded/}, to be reviewed and copied over the originals.
 *
 * <p>Scenarios leave out what docs/DIFFERENCES.md lists as deliberate differences: FIFOs and
 * sockets (mknod fails ENOTSUP), O_PATH, "." and ".." in readdir, all-or-nothing writes.
 */
class KernelConformanceTest {
    static final List<String> FILES =
            List.of(
                    "readonly.txt",
                    "permissions.txt",
                    "ownership.txt",
                    "namespace.txt",
                    "rename.txt",
                    "symlinks.txt",
                    "mounts.txt",
                    "xattrs.txt");

    private static final String RECORD = "pagevfs.kernel.record";
    private static final Duration PAGEVFS_TIMEOUT = Duration.ofSeconds(30);

    @TestFactory
    Stream<DynamicNode> pageVfsAnswersAsTheKernelDoes() throws Exception {
        Map<String, List<Scenario>> scripts = scripts();
        List<Scenario> all = scripts.values().stream().flatMap(List::stream).toList();
        Answers kernel = KernelOracle.ask(all);
        if (kernel.unavailable() == null && Boolean.getBoolean(RECORD)) {
            record(scripts, kernel);
        }
        boolean protectedHardlinks = sysctl("fs/protected_hardlinks").equals("1");
        return factory(scripts, s -> () -> compareWithKernel(s, kernel, protectedHardlinks));
    }

    @TestFactory
    Stream<DynamicNode> pageVfsGivesTheRecordedKernelAnswers() throws IOException {
        return factory(scripts(), s -> () -> compareWithRecorded(s));
    }

    interface ScenarioTest {
        Executable of(Scenario s);
    }

    private static Stream<DynamicNode> factory(
            Map<String, List<Scenario>> scripts, ScenarioTest test) {
        return scripts.entrySet().stream()
                .map(e -> DynamicContainer.dynamicContainer(e.getKey(), tests(e.getValue(), test)));
    }

    private static Stream<DynamicTest> tests(List<Scenario> scenarios, ScenarioTest test) {
        return scenarios.stream()
                .map(s -> DynamicTest.dynamicTest(s.name(), source(s), test.of(s)));
    }

    private static URI source(Scenario s) {
        return URI.create("classpath:/kernel/" + s.file() + "?line=" + s.line());
    }

    private static Map<String, List<Scenario>> scripts() throws IOException {
        Map<String, List<Scenario>> scripts = new LinkedHashMap<>();
        for (String file : FILES) {
            scripts.put(file, KernelScript.load(file));
        }
        return scripts;
    }

    // ---- the checks ----------------------------------------------------------------------------

    /**
     * The kernel's and PageVFS's answers must agree, and the kernel's must be the recorded ones.
     * Each scenario, not the factory, checks that the kernel could be asked: Surefire does not
     * report an aborted factory, and a skipped test must show as skipped.
     */
    private static void compareWithKernel(Scenario s, Answers answers, boolean protectedHardlinks) {
        assumeTrue(answers.unavailable() == null, answers.unavailable());
        List<String> kernel = answers.byScenario().get(KernelScript.key(s));
        assertNotNull(kernel, () -> "the oracle did not run " + s);
        if (s.requires().contains("protected_hardlinks=1")) {
            assumeTrue(protectedHardlinks, "needs fs.protected_hardlinks=1 on this machine");
        }
        List<String> pagevfs = runOnPageVfs(s, protectedHardlinks);
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < s.steps().size(); i++) {
            Step step = s.steps().get(i);
            String k = i < kernel.size() ? kernel.get(i) : "(no answer)";
            if (!k.equals(pagevfs.get(i))) {
                problems.add(step + "\n    kernel: " + k + "\n    PageVFS: " + pagevfs.get(i));
            } else if (step.recorded() != null && !k.equals(step.recorded())) {
                problems.add(
                        step
                                + "\n    kernel and PageVFS: "
                                + k
                                + "\n    recorded: "
                                + step.recorded()
                                + " (the kernel changed? re-record with -D"
                                + RECORD
                                + "=true)");
            }
        }
        report(s, problems);
    }

    private static void compareWithRecorded(Scenario s) {
        List<String> pagevfs = runOnPageVfs(s, true);
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < s.steps().size(); i++) {
            Step step = s.steps().get(i);
            if (step.recorded() == null) {
                problems.add(step + "\n    no recorded kernel answer");
            } else if (!step.recorded().equals(pagevfs.get(i))) {
                problems.add(
                        step
                                + "\n    recorded kernel answer: "
                                + step.recorded()
                                + "\n    PageVFS: "
                                + pagevfs.get(i));
            }
        }
        report(s, problems);
    }

    /** Runs {@code s} on PageVFS; a scenario that hangs (a deadlock) fails instead. */
    private static List<String> runOnPageVfs(Scenario s, boolean protectedHardlinks) {
        return assertTimeoutPreemptively(
                PAGEVFS_TIMEOUT,
                () -> PageVfsInterpreter.run(s, protectedHardlinks),
                () -> s + ": PageVFS did not finish (a deadlock?)");
    }

    private static void report(Scenario s, List<String> problems) {
        if (!problems.isEmpty()) {
            fail(s + "\n  " + String.join("\n  ", problems));
        }
    }

    private static String sysctl(String name) {
        try {
            return Files.readString(Path.of("/proc/sys", name)).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    // ---- recording -----------------------------------------------------------------------------

    /** Writes each script with the kernel's answers to target/kernel-oracle/recorded/. */
    private static void record(Map<String, List<Scenario>> scripts, Answers kernel)
            throws IOException {
        Path dir = KernelOracle.workDirectory().resolve("recorded");
        Files.createDirectories(dir);
        for (Map.Entry<String, List<Scenario>> e : scripts.entrySet()) {
            Map<Integer, String> byLine = new LinkedHashMap<>();
            for (Scenario s : e.getValue()) {
                List<String> answers = kernel.byScenario().get(KernelScript.key(s));
                for (int i = 0; i < s.steps().size(); i++) {
                    byLine.putIfAbsent(s.steps().get(i).line(), answers.get(i));
                }
            }
            Files.writeString(dir.resolve(e.getKey()), annotate(e.getKey(), byLine));
        }
    }

    private static String annotate(String file, Map<Integer, String> byLine) {
        String text;
        try (var in = KernelConformanceTest.class.getResourceAsStream("/kernel/" + file)) {
            assertNotNull(in, file);
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String[] lines = text.split("\n", -1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String answer = byLine.get(i + 1);
            if (answer != null) {
                int arrow = line.indexOf("=>");
                String call = (arrow >= 0 ? line.substring(0, arrow) : line).stripTrailing();
                line = String.format("%-56s => %s", call, answer);
            }
            sb.append(line);
            if (i < lines.length - 1) {
                sb.append('\n');
            }
        }
        assertFalse(sb.isEmpty(), file);
        return sb.toString();
    }
}
