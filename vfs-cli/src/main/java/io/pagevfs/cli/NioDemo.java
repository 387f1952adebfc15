package io.pagevfs.cli;

import io.pagevfs.core.Credentials;
import io.pagevfs.nio.PageVfsFileSystem;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;

/** The java.nio.file part of {@code pagevfs demo}. */
final class NioDemo {
    private final PrintWriter out;

    NioDemo(PrintWriter out) {
        this.out = out;
    }

    void run() throws IOException {
        out.println();
        out.println("== java.nio.file on a pagevfs:// URI");
        URI uri = URI.create("pagevfs://demo");
        try (PageVfsFileSystem fs = (PageVfsFileSystem) FileSystems.newFileSystem(uri, Map.of())) {
            Path notes = Path.of(URI.create("pagevfs://demo/notes"));
            Files.createDirectories(notes);
            Files.writeString(notes.resolve("todo.txt"), "map files\nlock ranges\n");
            Files.writeString(notes.resolve("private.txt"), "only mine");
            Files.setPosixFilePermissions(
                    notes.resolve("private.txt"), PosixFilePermissions.fromString("rw-------"));
            try (Stream<Path> walk = Files.walk(fs.getPath("/"))) {
                walk.forEach(p -> out.println("  " + p.toUri() + "  " + describe(p)));
            }
            out.println(
                    "  Files.readAllLines(todo.txt) = "
                            + Files.readAllLines(notes.resolve("todo.txt")));
            try (PageVfsFileSystem other = fs.newView(Credentials.of(1001, 1001))) {
                Path theirs = other.getPath("/notes/private.txt");
                try {
                    Files.readString(theirs);
                    out.println("  another user read private.txt: this should not happen");
                } catch (AccessDeniedException e) {
                    out.println(
                            "  the same file seen by another process (uid 1001): "
                                    + e.getClass().getSimpleName()
                                    + " "
                                    + e.getFile());
                }
                out.println(
                        "  Files.isReadable for uid 1001: "
                                + Files.isReadable(theirs)
                                + ", for its owner: "
                                + Files.isReadable(notes.resolve("private.txt")));
            }
        }
        new MappingDemo(out).run();
    }

    private static String describe(Path p) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(p))
                    + " "
                    + Files.getOwner(p);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
