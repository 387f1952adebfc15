package io.pagevfs.nio;

import io.pagevfs.core.Fcntl;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * The open options of one call, decoded once (as the JDK's UnixChannelFactory.Flags): defaults
 * applied (neither READ nor WRITE means READ, or WRITE with APPEND), invalid combinations refused
 * with IllegalArgumentException, unknown options with UnsupportedOperationException naming them.
 */
record OpenOptions(
        boolean read,
        boolean write,
        boolean append,
        boolean create,
        boolean createNew,
        boolean truncateExisting,
        boolean deleteOnClose,
        boolean sparse,
        boolean sync,
        boolean dsync,
        boolean noFollowLinks) {

    static OpenOptions decode(Set<? extends OpenOption> options) {
        boolean read = false,
                write = false,
                append = false,
                create = false,
                createNew = false,
                truncate = false;
        boolean deleteOnClose = false,
                sparse = false,
                sync = false,
                dsync = false,
                noFollow = false;
        for (OpenOption o : options) {
            if (o == null) {
                throw new NullPointerException("null open option");
            } else if (o == StandardOpenOption.READ) {
                read = true;
            } else if (o == StandardOpenOption.WRITE) {
                write = true;
            } else if (o == StandardOpenOption.APPEND) {
                append = true;
            } else if (o == StandardOpenOption.CREATE) {
                create = true;
            } else if (o == StandardOpenOption.CREATE_NEW) {
                createNew = true;
            } else if (o == StandardOpenOption.TRUNCATE_EXISTING) {
                truncate = true;
            } else if (o == StandardOpenOption.DELETE_ON_CLOSE) {
                deleteOnClose = true;
            } else if (o == StandardOpenOption.SPARSE) {
                sparse = true;
            } else if (o == StandardOpenOption.SYNC) {
                sync = true;
            } else if (o == StandardOpenOption.DSYNC) {
                dsync = true;
            } else if (o == LinkOption.NOFOLLOW_LINKS) {
                noFollow = true;
            } else {
                throw new UnsupportedOperationException("unsupported open option: " + o);
            }
        }
        if (!read && !write) {
            if (append) {
                write = true;
            } else {
                read = true;
            }
        }
        if (read && append) {
            throw new IllegalArgumentException("READ + APPEND not allowed");
        }
        if (append && truncate) {
            throw new IllegalArgumentException("APPEND + TRUNCATE_EXISTING not allowed");
        }
        return new OpenOptions(
                read,
                write,
                append,
                create,
                createNew,
                truncate,
                deleteOnClose,
                sparse,
                sync,
                dsync,
                noFollow);
    }

    /** The open(2) flags these options mean. */
    int flags() {
        int flags = read && write ? Fcntl.O_RDWR : write ? Fcntl.O_WRONLY : Fcntl.O_RDONLY;
        if (write) {
            if (truncateExisting) {
                flags |= Fcntl.O_TRUNC;
            }
            if (append) {
                flags |= Fcntl.O_APPEND;
            }
            if (createNew) {
                flags |= Fcntl.O_CREAT | Fcntl.O_EXCL;
            } else if (create) {
                flags |= Fcntl.O_CREAT;
            }
        }
        if (!createNew && (noFollowLinks || deleteOnClose)) {
            flags |= Fcntl.O_NOFOLLOW;
        }
        if (dsync) {
            flags |= Fcntl.O_DSYNC;
        }
        if (sync) {
            flags |= Fcntl.O_SYNC;
        }
        return flags;
    }
}
