package io.pagevfs.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The descriptor table on its own: slots, growth, the limit, copies for fork. */
class FdTableTest {
    private Vfs vfs;
    private Process p;

    @BeforeEach
    void setUp() throws Exception {
        vfs = VfsTesting.newVfs();
        p = vfs.newProcess(Credentials.root());
        VfsTesting.writeFile(p, "/f", "x");
    }

    @AfterEach
    void tearDown() {
        vfs.close();
    }

    /** A description of /f, counted as open until released. */
    private OpenFile description() throws VfsException {
        int fd = p.open("/f", Fcntl.O_RDONLY);
        OpenFile f = p.fds.get(fd);
        p.fds.remove(fd);
        return f;
    }

    @Test
    void install_takesTheLowestFreeSlotAtOrAboveMin() throws Exception {
        FdTable t = new FdTable(100);
        OpenFile f = description();
        assertEquals(0, t.install(f, 0, false));
        assertEquals(1, t.install(f, 0, true));
        assertEquals(10, t.install(f, 10, false));
        assertEquals(2, t.install(f, 0, false));
        assertArrayEquals(new int[] {0, 1, 2, 10}, t.fds());
        assertEquals(4, t.count());
        assertTrue(t.isCloseOnExec(1));
        assertFalse(t.isCloseOnExec(0));
        assertFalse(t.isCloseOnExec(3), "an empty slot is not close-on-exec");
    }

    @Test
    void install_growsPastTheInitialSizeUpToTheLimit() throws Exception {
        FdTable t = new FdTable(40);
        OpenFile f = description();
        for (int i = 0; i < 40; i++) {
            assertEquals(i, t.install(f, 0, false));
        }
        assertEquals(-1, t.install(f, 0, false), "full");
        assertEquals(-1, t.install(f, 39, false));
        assertSame(f, t.remove(17));
        assertEquals(17, t.install(f, 0, false));
        assertTrue(t.validFd(39));
        assertFalse(t.validFd(40));
        assertFalse(t.validFd(-1));
    }

    @Test
    void getAndRemove_outOfRange_areNull() throws Exception {
        FdTable t = new FdTable(10);
        assertNull(t.get(-1));
        assertNull(t.get(5));
        assertNull(t.get(1000));
        assertNull(t.remove(-1));
        assertNull(t.remove(1000));
        t.install(description(), 0, false);
        assertNull(t.remove(1));
        assertEquals(1, t.count());
    }

    @Test
    void replace_returnsTheOldDescriptionAndKeepsTheCount() throws Exception {
        FdTable t = new FdTable(100);
        OpenFile a = description();
        OpenFile b = description();
        t.install(a, 0, true);
        assertSame(a, t.replace(0, b, false));
        assertFalse(t.isCloseOnExec(0));
        assertEquals(1, t.count());
        assertNull(t.replace(50, a, false), "beyond the current size: grows");
        assertEquals(2, t.count());
        assertSame(a, t.get(50));
    }

    @Test
    void copy_sharesTheDescriptionsAndRetainsEach() throws Exception {
        FdTable t = new FdTable(100);
        OpenFile f = description();
        t.install(f, 0, false);
        t.install(f, 0, true);
        FdTable c = t.copy();
        assertArrayEquals(t.fds(), c.fds());
        assertSame(f, c.get(1));
        assertTrue(c.isCloseOnExec(1));
        c.setCloseOnExec(1, false);
        assertTrue(t.isCloseOnExec(1), "the flags are per table");
        List<OpenFile> all = t.clear();
        assertEquals(2, all.size());
        assertEquals(0, t.count());
        assertArrayEquals(new int[0], t.fds());
        assertEquals(2, c.count());
    }
}
