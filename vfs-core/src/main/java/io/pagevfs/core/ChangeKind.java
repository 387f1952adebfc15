package io.pagevfs.core;

/**
 * What happened to an entry of a watched directory: Linux's inotify events, grouped as {@code
 * java.nio.file} groups them (the JDK's LinuxWatchService maps IN_CREATE and IN_MOVED_TO to create,
 * IN_DELETE and IN_MOVED_FROM to delete, IN_MODIFY and IN_ATTRIB to modify).
 */
public enum ChangeKind {
    /** A name was added: create, mkdir, mknod, symlink, link, or a rename into the directory. */
    CREATED,
    /** A name was removed: unlink, rmdir, or a rename out of (or within) the directory. */
    DELETED,
    /**
     * The file a name refers to changed: a write or truncate (IN_MODIFY), or its mode, owner, times
     * or extended attributes (IN_ATTRIB).
     */
    MODIFIED
}
