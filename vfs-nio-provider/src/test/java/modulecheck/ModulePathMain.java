package modulecheck;

import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.spi.FileSystemProvider;
import java.util.Map;

/** Run by ModulePathTest in a JVM where PageVFS is on the module path: prints what it finds. */
public final class ModulePathMain {
    private ModulePathMain() {}

    public static void main(String[] args) throws Exception {
        for (FileSystemProvider p : FileSystemProvider.installedProviders()) {
            if (p.getScheme().equals("pagevfs")) {
                System.out.println("provider module: " + p.getClass().getModule().getName());
            }
        }
        try (FileSystem fs = FileSystems.newFileSystem(URI.create("pagevfs://modules"), Map.of())) {
            Path p = Path.of(URI.create("pagevfs://modules/hello.txt"));
            Files.writeString(p, "from the module path");
            System.out.println("read back: " + Files.readString(p));
        }
    }
}
