package io.pagevfs.core.model;

/** The one text format both the model and the kernel snapshot use for a tree entry. */
final class Format {
    private Format() {}

    /** The snapshot key of the mount table (sorts before every path). */
    static final String MOUNT_TABLE = "#mounts";

    static String stat(char type, int perms, int uid, int gid, int nlink, long size, long blocks) {
        return type
                + Integer.toOctalString(perms)
                + " "
                + uid
                + ":"
                + gid
                + " nlink="
                + nlink
                + " size="
                + size
                + " blocks="
                + blocks;
    }

    static String content(long crc) {
        return " crc=" + Long.toHexString(crc);
    }

    static String target(String target) {
        return " -> " + target;
    }

    static String volume(String name, long usedPages, boolean readOnly) {
        return " [volume " + name + " pages=" + usedPages + (readOnly ? " ro" : "") + "]";
    }

    /** A mount table line: where, which volume, the volume's and the mount's read-only flags. */
    static String mount(String mountPoint, String volume, boolean volumeRo, boolean mountRo) {
        return mountPoint + " " + volume + (volumeRo ? " ro" : " rw") + (mountRo ? ",ro" : ",rw");
    }

    static String child(String dir, String name) {
        return dir.equals("/") ? "/" + name : dir + "/" + name;
    }

    static String octal(int mode) {
        return "0" + Integer.toOctalString(mode);
    }
}
