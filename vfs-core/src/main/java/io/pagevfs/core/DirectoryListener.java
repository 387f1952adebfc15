package io.pagevfs.core;

/**
 * Receives the change events of one watched directory (see {@link Process#watch}).
 *
 * <p>Calls come after the change is made, in the order the changes were made, with no kernel lock
 * held, from a thread that made a change (not necessarily the one that made this change, when
 * several threads change watched directories at once). A listener should hand the event off and
 * return: the thread it runs in is a system call's. It may call the kernel; events that causes are
 * delivered after it returns. An exception it throws is given to the thread's uncaught-exception
 * handler and costs only that event.
 */
public interface DirectoryListener {
    /** {@code name} (an entry of the watched directory) was created, deleted or modified. */
    void changed(ChangeKind kind, String name);

    /**
     * The watched directory is gone (removed, replaced by a rename, or its volume unmounted):
     * inotify's IN_IGNORED. The watch is inactive and no event follows this one.
     */
    void watchEnded();
}
