package io.pagevfs.nio;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessMode;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A scripted list of {@code Files} operations, one per line, run in a base directory, each reported
 * as an {@link Outcomes} line. The same script runs on PageVFS in-process and, through {@link
 * #main}, on the JDK's default provider in a JVM started as another user, so permission checks can
 * be compared with the real kernel's. Also prepares the tree the script runs in ({@link #prepare}),
 * as root.
 *
 * <p>Self-contained but for {@link Outcomes}: the forked JVM gets only these two classes on its
 * class path.
 */
public final class PermissionScript {
    private PermissionScript() {}

    /** Runs the script read from standard input in the directory {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
            }
        }
        for (String outcome : run(Path.of(args[0]), lines, false)) {
            System.out.println(outcome);
        }
    }

    /**
     * Creates the entries of {@code setup} under {@code base}: lines "dir PATH MODE UID GID" and
     * "file PATH MODE UID GID CONTENT", MODE in octal (sticky bit included).
     */
    static void prepare(Path base, List<String> setup) throws IOException {
        for (String line : setup) {
            String[] w = line.split(" ");
            Path p = base.resolve(w[1]);
            if (w[0].equals("dir")) {
                Files.createDirectory(p);
            } else {
                Files.writeString(p, w[5]);
            }
            Files.setAttribute(p, "unix:uid", Integer.parseInt(w[3]));
            Files.setAttribute(p, "unix:gid", Integer.parseInt(w[4]));
            Files.setAttribute(p, "unix:mode", Integer.parseInt(w[2], 8));
        }
    }

    /**
     * Runs each line and reports "LINE => OUTCOME"; {@code pageVfs} reports EPERM as the JDK does
     * (see {@link Outcomes#ofPageVfs}).
     */
    static List<String> run(Path base, List<String> lines, boolean pageVfs) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            Outcomes.Call call = () -> step(base, line.split(" "));
            out.add(line + " => " + (pageVfs ? Outcomes.ofPageVfs(call) : Outcomes.of(call)));
        }
        return out;
    }

    private static Object step(Path base, String[] w) throws IOException {
        Path p = base.resolve(w[1]);
        switch (w[0]) {
            case "read":
                return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
            case "write":
                Files.writeString(p, w[2]);
                return null;
            case "append":
                Files.writeString(p, w[2], StandardOpenOption.APPEND);
                return null;
            case "create":
                Files.createFile(p);
                return null;
            case "mkdir":
                Files.createDirectory(p);
                return null;
            case "delete":
                Files.delete(p);
                return null;
            case "list":
                return list(p);
            case "move":
                Files.move(p, base.resolve(w[2]));
                return null;
            case "copy":
                Files.copy(p, base.resolve(w[2]));
                return null;
            case "chmod":
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(w[2]));
                return null;
            case "chown":
                Files.setAttribute(p, "unix:uid", Integer.parseInt(w[2]));
                return null;
            case "touch":
                Files.setLastModifiedTime(p, FileTime.fromMillis(0));
                return null;
            case "can":
                return "r="
                        + Files.isReadable(p)
                        + " w="
                        + Files.isWritable(p)
                        + " x="
                        + Files.isExecutable(p);
            case "exists":
                return Files.exists(p) + " notExists=" + Files.notExists(p);
            case "access":
                p.getFileSystem().provider().checkAccess(p, AccessMode.valueOf(w[2]));
                return null;
            case "link":
                Files.createLink(p, base.resolve(w[2]));
                return null;
            case "symlink":
                Files.createSymbolicLink(p, p.getFileSystem().getPath(w[2]));
                return null;
            case "open":
                Files.newByteChannel(p, options(w[2])).close();
                return null;
            case "size":
                return Files.size(p);
            case "realpath":
                return base.toRealPath().relativize(p.toRealPath()).toString();
            default:
                throw new IllegalArgumentException("unknown script step " + w[0]);
        }
    }

    private static Set<String> list(Path dir) throws IOException {
        Set<String> names = new TreeSet<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(x -> names.add(x.getFileName().toString()));
        }
        return names;
    }

    private static Set<OpenOption> options(String list) {
        Set<OpenOption> out = new HashSet<>();
        for (String o : list.split(",")) {
            out.add(StandardOpenOption.valueOf(o));
        }
        return out;
    }
}
