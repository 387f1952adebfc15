package io.pagevfs.core;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/** A process's descriptor table: small integers naming open file descriptions. */
final class FdTable {
    private final int maxFds;

    @GuardedBy("this")
    private OpenFile[] files = new OpenFile[16];

    @GuardedBy("this")
    private boolean[] cloexec = new boolean[16];

    @GuardedBy("this")
    private int count;

    FdTable(int maxFds) {
        this.maxFds = maxFds;
    }

    /**
     * Installs {@code file} at the lowest free descriptor not below {@code min}; -1 if none is
     * free.
     */
    synchronized int install(OpenFile file, int min, boolean closeOnExec) {
        for (int fd = min; fd < maxFds; fd++) {
            if (fd >= files.length) {
                grow(fd);
            }
            if (files[fd] == null) {
                put(fd, file, closeOnExec);
                return fd;
            }
        }
        return -1;
    }

    private void grow(int fd) {
        int size = Math.min(maxFds, Math.max(fd + 1, files.length * 2));
        files = Arrays.copyOf(files, size);
        cloexec = Arrays.copyOf(cloexec, size);
    }

    private void put(int fd, OpenFile file, boolean closeOnExec) {
        files[fd] = file;
        cloexec[fd] = closeOnExec;
        count++;
    }

    /** Puts {@code file} at exactly {@code fd}, returning what was there (to be released). */
    @Nullable
    synchronized OpenFile replace(int fd, OpenFile file, boolean closeOnExec) {
        if (fd >= files.length) {
            grow(fd);
        }
        OpenFile old = files[fd];
        if (old != null) {
            count--;
        }
        put(fd, file, closeOnExec);
        return old;
    }

    boolean validFd(int fd) {
        return fd >= 0 && fd < maxFds;
    }

    @Nullable
    synchronized OpenFile get(int fd) {
        return fd >= 0 && fd < files.length ? files[fd] : null;
    }

    synchronized boolean isCloseOnExec(int fd) {
        return fd >= 0 && fd < files.length && files[fd] != null && cloexec[fd];
    }

    synchronized void setCloseOnExec(int fd, boolean on) {
        cloexec[fd] = on;
    }

    /** Empties slot {@code fd}; returns what it held (the caller releases it). */
    @Nullable
    synchronized OpenFile remove(int fd) {
        if (fd < 0 || fd >= files.length || files[fd] == null) {
            return null;
        }
        OpenFile f = files[fd];
        files[fd] = null;
        count--;
        return f;
    }

    synchronized int count() {
        return count;
    }

    /** Every open descriptor, in order. */
    synchronized int[] fds() {
        int[] out = new int[count];
        int k = 0;
        for (int fd = 0; fd < files.length; fd++) {
            if (files[fd] != null) {
                out[k++] = fd;
            }
        }
        return out;
    }

    /** A copy for fork: the same descriptions, each retained once more. */
    synchronized FdTable copy() {
        FdTable t = new FdTable(maxFds);
        t.files = files.clone();
        t.cloexec = cloexec.clone();
        t.count = count;
        for (OpenFile f : files) {
            if (f != null) {
                f.retain();
            }
        }
        return t;
    }

    /** Empties the table, returning the descriptions it held (the caller releases them). */
    synchronized List<OpenFile> clear() {
        List<OpenFile> out = new ArrayList<>(count);
        for (int fd = 0; fd < files.length; fd++) {
            if (files[fd] != null) {
                out.add(files[fd]);
                files[fd] = null;
            }
        }
        count = 0;
        return out;
    }
}
