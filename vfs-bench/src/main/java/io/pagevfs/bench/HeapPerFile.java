package io.pagevfs.bench;

import io.pagevfs.core.Credentials;
import io.pagevfs.core.Fcntl;
import io.pagevfs.core.Process;
import io.pagevfs.core.Vfs;
import io.pagevfs.core.VfsConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Heap per empty file: creates {@value #DIRS} directories of {@value #FILES_PER_DIR} empty files
 * each in PageVFS, Jimfs and memoryfilesystem, one after the other in this JVM, and reports for
 * each the growth of the live heap divided by the number of files, with the classes that grew.
 *
 * <p>The live heap is read from the class histogram of {@code jcmd GC.class_histogram} (taken
 * in-process through the DiagnosticCommand MBean; it runs a full GC first), before and after each
 * filesystem is built. Each filesystem stays reachable until its histogram is taken and is dropped
 * before the next one is built. Names are {@code /dNNN/fileNNNNNNN} (11-character file names).
 *
 * <pre>{@code java -Xmx3g -cp vfs-bench/target/benchmarks.jar io.pagevfs.bench.HeapPerFile}</pre>
 *
 * Arguments: optionally the implementations to measure ({@code pagevfs jimfs memoryfs}).
 */
public final class HeapPerFile {
    static final int DIRS = 1000;
    static final int FILES_PER_DIR = 1000;
    static final int FILES = DIRS * FILES_PER_DIR;

    private static final Pattern ROW =
            Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)(?:\\s.*)?$");

    private HeapPerFile() {}

    public static void main(String[] args) throws Exception {
        List<String> which =
                args.length == 0 ? List.of("pagevfs", "jimfs", "memoryfs") : List.of(args);
        System.out.printf(
                Locale.ROOT,
                "%,d empty files in %,d directories; JDK %s, %s, max heap %d MiB%n",
                FILES,
                DIRS,
                System.getProperty("java.vm.version"),
                ManagementFactory.getRuntimeMXBean().getInputArguments(),
                Runtime.getRuntime().maxMemory() >> 20);
        for (String name : which) {
            Map<String, long[]> before = histogram();
            Object fs = build(name);
            Map<String, long[]> after = histogram();
            report(name, before, after);
            Reference.reachabilityFence(fs);
            close(fs);
        }
    }

    private static Object build(String name) throws IOException {
        switch (name) {
            case "pagevfs":
                return buildPageVfs();
            case "jimfs":
                return buildNio(Peers.jimfs());
            case "memoryfs":
                return buildNio(Peers.memoryFs());
            default:
                throw new IllegalArgumentException("unknown implementation: " + name);
        }
    }

    private static String dirName(int d) {
        return String.format(Locale.ROOT, "/d%03d", d);
    }

    private static String fileName(int f) {
        return String.format(Locale.ROOT, "file%07d", f);
    }

    /** Creates the files with open(O_CREAT|O_WRONLY) and close, as an application would. */
    private static Vfs buildPageVfs() throws IOException {
        Vfs vfs = Vfs.create(VfsConfig.defaults());
        Process p = vfs.newProcess(Credentials.root());
        for (int d = 0; d < DIRS; d++) {
            String dir = dirName(d);
            p.mkdir(dir, 0755);
            for (int i = 0; i < FILES_PER_DIR; i++) {
                String path = dir + "/" + fileName(d * FILES_PER_DIR + i);
                p.close(p.open(path, Fcntl.O_CREAT | Fcntl.O_WRONLY, 0644));
            }
        }
        return vfs;
    }

    private static FileSystem buildNio(FileSystem fs) throws IOException {
        for (int d = 0; d < DIRS; d++) {
            Path dir = Files.createDirectory(fs.getPath(dirName(d)));
            for (int i = 0; i < FILES_PER_DIR; i++) {
                Files.createFile(dir.resolve(fileName(d * FILES_PER_DIR + i)));
            }
        }
        return fs;
    }

    private static void close(Object fs) throws IOException {
        if (fs instanceof Vfs v) {
            v.close();
        } else {
            ((FileSystem) fs).close();
        }
    }

    /** Class name to {instances, bytes} of the live heap, after a full GC. */
    static Map<String, long[]> histogram() throws JMException {
        String text =
                (String)
                        ManagementFactory.getPlatformMBeanServer()
                                .invoke(
                                        new ObjectName("com.sun.management:type=DiagnosticCommand"),
                                        "gcClassHistogram",
                                        new Object[] {new String[0]},
                                        new String[] {String[].class.getName()});
        Map<String, long[]> out = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                long[] row = out.computeIfAbsent(m.group(3), k -> new long[2]);
                row[0] += Long.parseLong(m.group(1));
                row[1] += Long.parseLong(m.group(2));
            }
        }
        return out;
    }

    /** Prints the total growth per file and every class that grew by at least 1 byte per file. */
    private static void report(String name, Map<String, long[]> before, Map<String, long[]> after) {
        List<String[]> rows = new ArrayList<>();
        long total = 0;
        long shown = 0;
        List<Map.Entry<String, long[]>> grown = new ArrayList<>(after.entrySet());
        grown.sort((a, b) -> Long.compare(delta(b, before)[1], delta(a, before)[1]));
        for (Map.Entry<String, long[]> e : grown) {
            long[] d = delta(e, before);
            total += d[1];
            if (d[1] >= FILES) {
                shown += d[1];
                rows.add(
                        new String[] {
                            e.getKey(),
                            String.format(Locale.ROOT, "%,d", d[0]),
                            String.format(Locale.ROOT, "%,d", d[1]),
                            String.format(Locale.ROOT, "%.1f", d[1] / (double) FILES)
                        });
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%n== %s: %,d bytes live heap growth = %.1f bytes per file%n",
                name,
                total,
                total / (double) FILES);
        System.out.printf(
                Locale.ROOT,
                "| %-60s | %12s | %14s | %9s |%n",
                "class",
                "+instances",
                "+bytes",
                "B/file");
        for (String[] r : rows) {
            System.out.printf(
                    Locale.ROOT, "| %-60s | %12s | %14s | %9s |%n", r[0], r[1], r[2], r[3]);
        }
        System.out.printf(
                Locale.ROOT,
                "| %-60s | %12s | %,14d | %9.1f |%n",
                "(other classes)",
                "",
                total - shown,
                (total - shown) / (double) FILES);
    }

    private static long[] delta(Map.Entry<String, long[]> e, Map<String, long[]> before) {
        long[] b = before.getOrDefault(e.getKey(), new long[2]);
        return new long[] {e.getValue()[0] - b[0], e.getValue()[1] - b[1]};
    }
}
