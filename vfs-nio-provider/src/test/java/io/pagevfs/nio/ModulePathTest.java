package io.pagevfs.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The provider works from the module path: a fresh JVM with vfs-core and vfs-nio-provider as
 * (exploded) named modules finds it through its {@code provides} clause. The class path case is
 * every other test of this module.
 */
class ModulePathTest {
    @Test
    void provider_onTheModulePath_isFoundAndWorks() throws Exception {
        Path nio = Path.of("target/classes").toAbsolutePath();
        Path core = Path.of("../vfs-core/target/classes").toAbsolutePath().normalize();
        assumeTrue(
                Files.isRegularFile(nio.resolve("module-info.class"))
                        && Files.isRegularFile(core.resolve("module-info.class")),
                "compiled module descriptors not found (run from the module directory)");
        List<String> modulePath = new ArrayList<>(List.of(core.toString(), nio.toString()));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.contains("guava") || entry.contains("failureaccess")) {
                modulePath.add(entry);
            }
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p =
                new ProcessBuilder(
                                java,
                                "--module-path",
                                String.join(File.pathSeparator, modulePath),
                                "--add-modules",
                                "io.pagevfs.nio",
                                "-cp",
                                Path.of("target/test-classes").toAbsolutePath().toString(),
                                "modulecheck.ModulePathMain")
                        .redirectErrorStream(true)
                        .start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the JVM did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("provider module: io.pagevfs.nio"), out);
        assertTrue(out.contains("read back: from the module path"), out);
    }
}
