package io.pagevfs.nio;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.pagevfs.core.ChangeKind;
import io.pagevfs.core.DirectoryListener;
import io.pagevfs.core.DirectoryWatch;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A directory registered with a {@link PageVfsWatchService}: the listener of one kernel {@link
 * DirectoryWatch}, keeping the JDK's AbstractWatchKey contract. Events are counted, never inferred
 * from timestamps: an identical event directly after the last pending one (same kind and name), or
 * a modification of a name whose last pending event is a modification, only raises that event's
 * count; past {@value #MAX_EVENTS} pending events they are all dropped for one OVERFLOW, which then
 * counts what follows. The key is ready until an event signals it (queues it on the service), and
 * stays signalled until {@link #reset()}.
 *
 * <p>Locking: this key's monitor guards its state and events and is taken by the kernel's delivery
 * thread with no kernel lock held; inside it only the service's queue is touched. Calls into the
 * kernel (closing the watch) are made outside it.
 */
final class PageVfsWatchKey implements WatchKey, DirectoryListener {
    /** The JDK's AbstractWatchKey.MAX_EVENT_LIST_SIZE. */
    static final int MAX_EVENTS = 512;

    private final PageVfsWatchService service;
    private final PageVfsPath dir;
    private volatile Set<WatchEvent.Kind<?>> kinds;
    private volatile @Nullable DirectoryWatch watch;
    private volatile boolean valid = true;

    @GuardedBy("this")
    private boolean signalled;

    /** False until the service has adopted this key; until then a signal does not queue it. */
    @GuardedBy("this")
    private boolean attached;

    @GuardedBy("this")
    private List<WatchEvent<?>> events = new ArrayList<>();

    /** The pending modification event of each name whose last pending event is one. */
    @GuardedBy("this")
    private final Map<Path, Event<?>> lastModify = new HashMap<>();

    PageVfsWatchKey(PageVfsWatchService service, PageVfsPath dir, Set<WatchEvent.Kind<?>> kinds) {
        this.service = service;
        this.dir = dir;
        this.kinds = kinds;
    }

    /** Adopts the kernel watch this key listens to; signals held back so far are queued now. */
    synchronized void attach(DirectoryWatch w) {
        watch = w;
        attached = true;
        if (signalled) {
            service.enqueue(this);
        }
    }

    /** A new registration of the same directory replaces the kinds, as inotify_add_watch does. */
    void setKinds(Set<WatchEvent.Kind<?>> newKinds) {
        kinds = newKinds;
    }

    // ---- from the kernel ------------------------------------------------------------------------

    @Override
    public void changed(ChangeKind change, String name) {
        WatchEvent.Kind<Path> kind =
                switch (change) {
                    case CREATED -> StandardWatchEventKinds.ENTRY_CREATE;
                    case DELETED -> StandardWatchEventKinds.ENTRY_DELETE;
                    case MODIFIED -> StandardWatchEventKinds.ENTRY_MODIFY;
                };
        if (valid && kinds.contains(kind)) {
            signalEvent(kind, new PageVfsPath(dir.getFileSystem(), name));
        }
    }

    /**
     * The directory is gone: the key becomes invalid and is signalled, as the JDK's on IN_IGNORED.
     */
    @Override
    public void watchEnded() {
        valid = false;
        service.forget(this);
        signal();
    }

    /** The JDK's AbstractWatchKey.signalEvent: coalesce, overflow, or append; then signal. */
    private synchronized void signalEvent(WatchEvent.Kind<?> kind, @Nullable Path context) {
        boolean isModify = kind == StandardWatchEventKinds.ENTRY_MODIFY;
        int size = events.size();
        if (size > 0) {
            WatchEvent<?> prev = events.get(size - 1);
            if (prev.kind() == StandardWatchEventKinds.OVERFLOW
                    || (prev.kind() == kind && Objects.equals(prev.context(), context))) {
                ((Event<?>) prev).increment();
                return;
            }
            if (isModify) {
                Event<?> last = lastModify.get(context);
                if (last != null) {
                    last.increment();
                    return;
                }
            } else {
                lastModify.remove(context);
            }
            if (size >= MAX_EVENTS) {
                kind = StandardWatchEventKinds.OVERFLOW;
                isModify = false;
                context = null;
            }
        }
        Event<?> ev = new Event<>(kind, context);
        if (isModify) {
            lastModify.put(context, ev);
        } else if (kind == StandardWatchEventKinds.OVERFLOW) {
            events.clear();
            lastModify.clear();
        }
        events.add(ev);
        signal();
    }

    private synchronized void signal() {
        if (!signalled) {
            signalled = true;
            if (attached) {
                service.enqueue(this);
            }
        }
    }

    // ---- WatchKey -------------------------------------------------------------------------------

    @Override
    public boolean isValid() {
        return valid;
    }

    @Override
    public synchronized List<WatchEvent<?>> pollEvents() {
        List<WatchEvent<?>> out = events;
        events = new ArrayList<>();
        lastModify.clear();
        return out;
    }

    @Override
    public synchronized boolean reset() {
        if (signalled && valid) {
            if (events.isEmpty()) {
                signalled = false;
            } else {
                service.enqueue(this);
            }
        }
        return valid;
    }

    @Override
    public void cancel() {
        if (!valid) {
            return;
        }
        valid = false;
        service.forget(this);
        DirectoryWatch w = watch;
        if (w != null) {
            w.close();
        }
    }

    /** The directory as registered (not made absolute), as the JDK's. */
    @Override
    public PageVfsPath watchable() {
        return dir;
    }

    @Override
    public String toString() {
        return "PageVfsWatchKey[" + dir + (valid ? "" : ", invalid") + "]";
    }

    /** One event with its repeat count (the JDK's AbstractWatchKey.Event). */
    static final class Event<T> implements WatchEvent<T> {
        private final WatchEvent.Kind<T> kind;
        private final @Nullable T context;
        private volatile int count = 1;

        @SuppressWarnings("unchecked")
        Event(WatchEvent.Kind<?> kind, @Nullable Object context) {
            this.kind = (WatchEvent.Kind<T>) kind;
            this.context = (T) context;
        }

        @SuppressWarnings("NonAtomicVolatileUpdate") // only under the key's monitor
        void increment() {
            count++;
        }

        @Override
        public WatchEvent.Kind<T> kind() {
            return kind;
        }

        @Override
        public int count() {
            return count;
        }

        @Override
        public @Nullable T context() {
            return context;
        }

        @Override
        public String toString() {
            return kind + " " + context + (count > 1 ? " x" + count : "");
        }
    }
}
