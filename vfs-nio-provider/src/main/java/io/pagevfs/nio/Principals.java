package io.pagevfs.nio;

import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.Map;

/**
 * Users and groups of a filesystem, from its configured tables. As on the JDK's Unix provider, a
 * name that is not in the table but is a number names that id.
 */
final class Principals extends UserPrincipalLookupService {
    /** A user: its name (or its uid as text when it has none) and uid. */
    record User(String name, int uid) implements UserPrincipal {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A group: its name (or gid as text) and gid. */
    record Group(String name, int gid) implements GroupPrincipal {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private final Map<String, PageVfsConfig.User> users;
    private final Map<String, Integer> groups;

    Principals(PageVfsConfig config) {
        this.users = config.users();
        this.groups = config.groups();
    }

    User user(int uid) {
        for (PageVfsConfig.User u : users.values()) {
            if (u.uid() == uid) {
                return new User(u.name(), uid);
            }
        }
        return new User(Integer.toString(uid), uid);
    }

    Group group(int gid) {
        for (Map.Entry<String, Integer> g : groups.entrySet()) {
            if (g.getValue() == gid) {
                return new Group(g.getKey(), gid);
            }
        }
        return new Group(Integer.toString(gid), gid);
    }

    @Override
    public UserPrincipal lookupPrincipalByName(String name) throws UserPrincipalNotFoundException {
        PageVfsConfig.User u = users.get(name);
        if (u != null) {
            return new User(name, u.uid());
        }
        return user(numeric(name));
    }

    @Override
    public GroupPrincipal lookupPrincipalByGroupName(String name)
            throws UserPrincipalNotFoundException {
        Integer gid = groups.get(name);
        if (gid != null) {
            return new Group(name, gid);
        }
        return group(numeric(name));
    }

    private static int numeric(String name) throws UserPrincipalNotFoundException {
        try {
            int id = Integer.parseInt(name);
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException ignored) {
            // not a number: not found
        }
        throw new UserPrincipalNotFoundException(name);
    }

    /** The uid a principal of this or another filesystem stands for. */
    static int uidOf(UserPrincipal p) throws UserPrincipalNotFoundException {
        if (p instanceof User u) {
            return u.uid();
        }
        if (p instanceof Group g) {
            return g.gid();
        }
        return numeric(p.getName());
    }

    static int gidOf(GroupPrincipal p) throws UserPrincipalNotFoundException {
        if (p instanceof Group g) {
            return g.gid();
        }
        return numeric(p.getName());
    }
}
