package io.pagevfs.nio;

import io.pagevfs.core.DirectoryWatch;
import io.pagevfs.core.Errno;
import io.pagevfs.core.Vfs;
import io.pagevfs.core.VfsException;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.NotDirectoryException;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;

/**
 * A WatchService fed by the kernel's own change events ({@link io.pagevfs.core.Process#watch}), not
 * by polling: there is no thread of its own, a change is queued on its key by the thread that made
 * it, and {@link #take()} waits on the queue's condition. The contract is the JDK's
 * (AbstractWatchService, LinuxWatchService): one key per directory (registering it again, by any
 * path, returns the same key with the new kinds), events of any process of the kernel,
 * ClosedWatchServiceException from every call after {@link #close()}, which cancels every key and
 * wakes every waiter.
 */
final class PageVfsWatchService implements WatchService {
    /** The JDK's CLOSE_KEY: queued by close so that waiting threads wake up and throw. */
    private static final WatchKey CLOSE_KEY =
            new WatchKey() {
                @Override
                public boolean isValid() {
                    return true;
                }

                @Override
                public List<WatchEvent<?>> pollEvents() {
                    return List.of();
                }

                @Override
                public boolean reset() {
                    return true;
                }

                @Override
                public void cancel() {}

                @Override
                public java.nio.file.Watchable watchable() {
                    return null;
                }
            };

    /** A watched directory's identity. */
    private record DirId(long dev, long ino) {}

    private final PageVfsFileSystem fs;
    private final LinkedBlockingDeque<WatchKey> ready = new LinkedBlockingDeque<>();
    private final Map<DirId, PageVfsWatchKey> keys = new ConcurrentHashMap<>();
    private volatile boolean closed;

    PageVfsWatchService(PageVfsFileSystem fs) {
        this.fs = fs;
    }

    Vfs kernel() {
        return fs.kernel();
    }

    // ---- registration ---------------------------------------------------------------------------

    /** Path.register, with the JDK's checks in the JDK's order. */
    WatchKey register(
            PageVfsPath dir, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers)
            throws IOException {
        Set<WatchEvent.Kind<?>> kinds = decodeKinds(events);
        synchronized (this) {
            if (closed) {
                throw new ClosedWatchServiceException();
            }
            checkModifiers(modifiers);
            PageVfsWatchKey key = new PageVfsWatchKey(this, dir, kinds);
            DirectoryWatch w = watch(dir, key);
            DirId id = new DirId(w.dev(), w.ino());
            PageVfsWatchKey existing = keys.get(id);
            if (existing != null && existing.isValid()) {
                w.close(); // the existing key hears everything this watch would
                existing.setKinds(kinds);
                return existing;
            }
            keys.put(id, key);
            key.attach(w);
            return key;
        }
    }

    private static DirectoryWatch watch(PageVfsPath dir, PageVfsWatchKey key) throws IOException {
        try {
            return dir.getFileSystem().process().watch(dir.kernelPath(), key);
        } catch (VfsException e) {
            if (e.errno() == Errno.ENOTDIR) {
                NotDirectoryException x = new NotDirectoryException(dir.toString());
                x.initCause(e);
                throw x;
            }
            throw Errors.translate(e, dir);
        }
    }

    /**
     * The JDK's AbstractPoller.register: the three entry kinds, OVERFLOW ignored, anything else
     * UnsupportedOperationException, none at all IllegalArgumentException.
     */
    private static Set<WatchEvent.Kind<?>> decodeKinds(WatchEvent.Kind<?>[] events) {
        Set<WatchEvent.Kind<?>> kinds = new HashSet<>(events.length);
        for (WatchEvent.Kind<?> k : events) {
            if (k == StandardWatchEventKinds.ENTRY_CREATE
                    || k == StandardWatchEventKinds.ENTRY_DELETE
                    || k == StandardWatchEventKinds.ENTRY_MODIFY) {
                kinds.add(k);
            } else if (k == null) {
                throw new NullPointerException("An element in event set is 'null'");
            } else if (k != StandardWatchEventKinds.OVERFLOW) {
                throw new UnsupportedOperationException("Event not supported: " + k.name());
            }
        }
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("No events to register");
        }
        return Set.copyOf(kinds);
    }

    /**
     * As the JDK's LinuxWatchService: the sensitivity modifiers of com.sun.nio.file are accepted
     * and mean nothing (events arrive at once); any other is UnsupportedOperationException.
     */
    private static void checkModifiers(WatchEvent.Modifier... modifiers) {
        for (WatchEvent.Modifier m : modifiers) {
            if (m == null) {
                throw new NullPointerException("null modifier");
            }
            if (!m.getClass().getName().equals("com.sun.nio.file.SensitivityWatchEventModifier")) {
                throw new UnsupportedOperationException("Modifier not supported: " + m.name());
            }
        }
    }

    // ---- from the keys --------------------------------------------------------------------------

    void enqueue(PageVfsWatchKey key) {
        ready.offer(key);
    }

    /** The key is cancelled or its directory gone: a new registration makes a new key. */
    void forget(PageVfsWatchKey key) {
        keys.values().remove(key);
    }

    // ---- WatchService ---------------------------------------------------------------------------

    private void ensureOpen() {
        if (closed) {
            throw new ClosedWatchServiceException();
        }
    }

    private WatchKey checked(WatchKey key) {
        if (key == CLOSE_KEY) {
            ready.offer(CLOSE_KEY); // for the next waiter
            throw new ClosedWatchServiceException();
        }
        return key;
    }

    @Override
    public WatchKey poll() {
        ensureOpen();
        return checked(ready.poll());
    }

    @Override
    public WatchKey poll(long timeout, TimeUnit unit) throws InterruptedException {
        ensureOpen();
        return checked(ready.poll(timeout, unit));
    }

    @Override
    public WatchKey take() throws InterruptedException {
        ensureOpen();
        return checked(ready.take());
    }

    @Override
    public void close() throws IOException {
        List<PageVfsWatchKey> toCancel;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toCancel = new ArrayList<>(keys.values());
            keys.clear();
        }
        for (PageVfsWatchKey k : toCancel) {
            k.cancel();
        }
        ready.clear();
        ready.offer(CLOSE_KEY);
        fs.untrack(this);
    }

    @Override
    public String toString() {
        return "PageVfsWatchService[" + fs + (closed ? ", closed" : "") + "]";
    }
}
