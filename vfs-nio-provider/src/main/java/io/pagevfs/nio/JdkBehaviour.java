package io.pagevfs.nio;

/**
 * Where the JDK's Linux provider changed between releases, the behaviour of the JDK this provider
 * runs on: a program sees PageVFS answer as its own JDK's default filesystem would. Each flag names
 * the change that introduced it; the differential tests compare with the running JDK, so they pin
 * whichever side applies.
 */
final class JdkBehaviour {
    private JdkBehaviour() {}

    private static final int FEATURE = Runtime.version().feature();

    /**
     * Java 21 (JDK-8303260): {@code FileChannel.transferFrom} at a position past the end of the
     * file grows the file instead of transferring nothing, and refuses an unreadable source channel
     * before looking at this channel.
     */
    static final boolean TRANSFER_FROM_GROWS = FEATURE >= 21;

    /**
     * Java 22 (JDK-8073061): {@code Files.copy} checks that the source is readable, and {@code
     * Files.move} that a source directory is writable, before replacing the target; a target that
     * vanished before it could be replaced is not an error.
     */
    static final boolean COPY_CHECKS_SOURCE_ACCESS = FEATURE >= 22;

    /**
     * Java 25 (JDK-8356678): ENOTDIR for a path such as {@code file/x} is NoSuchFileException in
     * readAttributes, checkAccess and the source of copy and move (before, a FileSystemException
     * "Not a directory").
     */
    static final boolean ENOTDIR_IS_NO_SUCH_FILE = FEATURE >= 25;
}
