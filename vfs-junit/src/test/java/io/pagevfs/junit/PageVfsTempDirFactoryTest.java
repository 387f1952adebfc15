package io.pagevfs.junit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.pagevfs.nio.PageVfsConfig;
import io.pagevfs.nio.PageVfsFileSystem;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

class PageVfsTempDirFactoryTest {
    @TempDir(factory = PageVfsTempDirFactory.class)
    Path fieldDir;

    @Test
    void tempDir_isAnOrdinaryUsersDirectoryInAFreshPageVfs(
            @TempDir(factory = PageVfsTempDirFactory.class) Path dir) throws Exception {
        PageVfsFileSystem fs = assertInstanceOf(PageVfsFileSystem.class, dir.getFileSystem());
        assertNotSame(FileSystems.getDefault(), fs);
        assertTrue(fs.isOpen());
        assertTrue(Files.isDirectory(dir));
        assertEquals(fs.getPath("/tmp"), dir.getParent());
        assertEquals("user", Files.getOwner(dir).getName());
        assertEquals(
                "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals(041777, Files.getAttribute(dir.getParent(), "unix:mode"));
        Files.writeString(dir.resolve("a.txt"), "hello");
        assertEquals("hello", Files.readString(dir.resolve("a.txt")));
        assertEquals("user", Files.getOwner(dir.resolve("a.txt")).getName());
    }

    @Test
    void permissionsAreReal_theUserCannotChangeRootsTmp(
            @TempDir(factory = PageVfsTempDirFactory.class) Path dir) {
        Path tmp = dir.getParent();
        assertThrows(
                AccessDeniedException.class,
                () ->
                        Files.setPosixFilePermissions(
                                tmp, PosixFilePermissions.fromString("rwx------")));
        assertThrows(AccessDeniedException.class, () -> Files.delete(tmp));
    }

    @Test
    void fieldsAndParameters_getSeparateFileSystems(
            @TempDir(factory = PageVfsTempDirFactory.class) Path a,
            @TempDir(factory = PageVfsTempDirFactory.class) Path b) {
        assertInstanceOf(PageVfsFileSystem.class, fieldDir.getFileSystem());
        assertNotSame(a.getFileSystem(), b.getFileSystem());
        assertNotSame(a.getFileSystem(), fieldDir.getFileSystem());
    }

    /** A factory with its own configuration, as the class documentation shows. */
    public static class RootTempDirFactory extends PageVfsTempDirFactory {
        public RootTempDirFactory() {
            super(PageVfsConfig.builder().asRoot().pageSize(512).build());
        }
    }

    @Test
    void aSubclass_choosesTheConfiguration(@TempDir(factory = RootTempDirFactory.class) Path dir)
            throws Exception {
        assertEquals("root", Files.getOwner(dir).getName());
        PageVfsFileSystem fs = (PageVfsFileSystem) dir.getFileSystem();
        assertEquals(512, fs.config().kernel().geometry().pageSize());
    }

    @Test
    void close_closesTheFileSystemsTheFactoryMade() throws Exception {
        PageVfsTempDirFactory factory = new PageVfsTempDirFactory();
        Path one = factory.createTempDirectory(null, null);
        Path two = factory.createTempDirectory(null, null);
        assertTrue(one.getFileSystem().isOpen());
        factory.close();
        assertFalse(one.getFileSystem().isOpen());
        assertFalse(two.getFileSystem().isOpen());
        factory.close();
    }

    /** Run by the launcher below, not by the build: the directories outlive it in {@code SEEN}. */
    static class UsesTempDir {
        static final List<Path> SEEN = new CopyOnWriteArrayList<>();

        @Test
        void writesATree(@TempDir(factory = PageVfsTempDirFactory.class) Path dir)
                throws Exception {
            SEEN.add(dir);
            Files.createDirectories(dir.resolve("a/b/c"));
            Files.writeString(dir.resolve("a/b/c/d.txt"), "deep");
            Files.createSymbolicLink(dir.resolve("link"), dir.resolve("a"));
        }
    }

    /** Leaves a directory it cannot delete from. */
    static class LeavesAReadOnlyDirectory {
        static final List<Path> SEEN = new CopyOnWriteArrayList<>();

        @Test
        void byDefault(@TempDir(factory = PageVfsTempDirFactory.class) Path dir) throws Exception {
            leaveReadOnly(dir);
        }

        @Test
        void withoutCleanup(
                @TempDir(factory = PageVfsTempDirFactory.class, cleanup = CleanupMode.NEVER)
                        Path dir)
                throws Exception {
            leaveReadOnly(dir);
        }

        private static void leaveReadOnly(Path dir) throws Exception {
            SEEN.add(dir);
            Files.createDirectories(dir.resolve("ro/inner"));
            Files.setPosixFilePermissions(
                    dir.resolve("ro"), PosixFilePermissions.fromString("r-x------"));
        }
    }

    private static TestExecutionSummary run(Class<?> testClass) {
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(
                LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass)).build(),
                listener);
        return listener.getSummary();
    }

    private static List<String> failures(TestExecutionSummary summary) {
        return summary.getFailures().stream()
                .map(f -> f.getTestIdentifier().getDisplayName() + ": " + f.getException())
                .toList();
    }

    @Test
    void afterTheTest_junitDeletesTheDirectoryAndTheFactoryClosesTheFileSystem() {
        UsesTempDir.SEEN.clear();
        TestExecutionSummary summary = run(UsesTempDir.class);
        assertEquals(List.of(), failures(summary), "the test and JUnit's cleanup succeed");
        assertEquals(1, summary.getTestsSucceededCount());
        assertEquals(1, UsesTempDir.SEEN.size());
        assertFalse(UsesTempDir.SEEN.get(0).getFileSystem().isOpen(), "closed after the test");
    }

    /**
     * JUnit resets permissions before deleting only on the default filesystem (through {@code
     * Path.toFile()}), so a directory left without write permission fails its cleanup, as it would
     * on any non-default filesystem; {@code cleanup = NEVER} is then the cure, and costs nothing
     * here: the whole filesystem goes when the factory closes it, which it does either way.
     */
    @Test
    void aDirectoryLeftReadOnly_failsJUnitsCleanupUnlessCleanupIsNever() {
        LeavesAReadOnlyDirectory.SEEN.clear();
        TestExecutionSummary summary = run(LeavesAReadOnlyDirectory.class);
        List<String> failed = failures(summary);
        assertEquals(1, failed.size(), failed.toString());
        assertTrue(failed.get(0).startsWith("byDefault"), failed.toString());
        assertEquals(1, summary.getTestsSucceededCount(), "withoutCleanup passes");
        assertEquals(2, LeavesAReadOnlyDirectory.SEEN.size());
        for (Path dir : LeavesAReadOnlyDirectory.SEEN) {
            assertFalse(dir.getFileSystem().isOpen(), "closed after the test in both cases");
        }
    }
}
