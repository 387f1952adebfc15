package io.pagevfs.core.model;

import io.pagevfs.core.Credentials;

/**
 * The four identities the model-based test acts as: root, the owner of most of the initial tree, a
 * member of the owner's group, and everybody else.
 */
enum Who {
    ROOT(0, 0, -1, "root"),
    OWNER(1000, 1000, -1, "uid 1000"),
    MEMBER(1001, 1001, 1000, "uid 1001 (+group 1000)"),
    OTHER(1002, 1002, -1, "uid 1002");

    final int uid;
    final int gid;
    private final int supplementary;
    private final String label;

    Who(int uid, int gid, int supplementary, String label) {
        this.uid = uid;
        this.gid = gid;
        this.supplementary = supplementary;
        this.label = label;
    }

    Credentials credentials() {
        return supplementary < 0
                ? Credentials.of(uid, gid)
                : Credentials.of(uid, gid, supplementary);
    }

    boolean isRoot() {
        return uid == 0;
    }

    boolean inGroup(int group) {
        return group == gid || group == supplementary;
    }

    @Override
    public String toString() {
        return label;
    }
}
