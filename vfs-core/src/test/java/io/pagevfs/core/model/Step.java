package io.pagevfs.core.model;

import static io.pagevfs.core.model.Format.octal;

import io.pagevfs.core.Fcntl;
import io.pagevfs.core.MountFlag;
import io.pagevfs.core.PageGeometry;
import io.pagevfs.core.Process;
import io.pagevfs.core.Stat;
import io.pagevfs.core.VfsException;
import io.pagevfs.core.VolumeSpec;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Set;

/**
 * One system call (or a short open-call-close sequence) that the test runs on the model and on the
 * kernel. Each returns a value describing its result, or fails: the model with {@link
 * Model.Refused}, the kernel with {@link VfsException}. {@code toString} is the step's description
 * in a failing chain.
 */
interface Step {
    String onModel(Model m);

    String onKernel(Machine k) throws VfsException;

    String OK = "OK";

    /** A step that writes {@code length} bytes at {@code offset}. */
    interface Writes {
        long offset();

        int length();
    }

    /** open(O_CREAT ...) and close. */
    record Create(Who who, String path, int flags, int mode) implements Step {
        @Override
        public String onModel(Model m) {
            m.create(who, path, flags, mode);
            return OK;
        }

        @Override
        public String onKernel(Machine k) throws VfsException {
            Process p = k.process(who);
            p.close(p.open(path, flags, mode));
            return OK;
        }

        @Override
        public String toString() {
            return who + ": open " + path + " " + flagNames(flags) + " " + octal(mode);
        }
    }

    /** open(O_WRONLY), pwrite, close. */
    record Write(Who who, String path, long offset, int length, int seed) implements Step, Writes {
        @Override
        public String onModel(Model m) {
            m.write(who, path, offset, Machine.pattern(seed, length));
            return "wrote " + length;
        }

        @Override
        public String onKernel(Machine k) throws VfsException {
            Process p = k.process(who);
            int fd = p.open(path, Fcntl.O_WRONLY);
            try {
                return "wrote "
                        + p.pwrite(fd, ByteBuffer.wrap(Machine.pattern(seed, length)), offset);
            } finally {
                p.close(fd);
            }
        }

        @Override
        public String toString() {
            return who + ": write " + length + " B at " + offset + " to " + path;
        }
    }

    /** open(O_RDONLY), pread, close. */
    record Read(Who who, String path, long offset, int length) implements Step {
        @Override
        public String onModel(Model m) {
            return m.read(who, path, offset, length);
        }

        @Override
        public String onKernel(Machine k) throws VfsException {
            Process p = k.process(who);
            int fd = p.open(path, Fcntl.O_RDONLY);
            try {
                return pread(p, fd, offset, length);
            } finally {
                p.close(fd);
            }
        }

        @Override
        public String toString() {
            return who + ": read " + length + " B at " + offset + " of " + path;
        }
    }

    record Truncate(Who who, String path, long size) implements Step {
        @Override
        public String onModel(Model m) {
            m.truncate(who, path, size);
            return OK;
        }

        @Override
        public String onKernel(Machine k) throws VfsException {
            k.process(who).truncate(path, size);
            return OK;
        }

        @Override
        public String toString() {
            return who + ": truncate " + path + " to " + size;
        }
    }

    record Chmod(Who who, String path, int mode) implements Step {
        @Override
        public String onModel(Model m) {
            m.chmod(who, path, mode);
            return OK;
        }

        @Override
        public String onKernel(Machine k) throws VfsException {
            k.process(who).chmod(path, mode);
            return OK;
        }

        @Override
        public String toString() {
            return who + ": chmod " + octal(mode) + " " + path;
        }
    }

    record Chown(Who who, String path, int uid, int gid) implements Step {
        @Override
        public String onModel(Model m) {
            m.chown(who, path, uid, gid);
            return OK;
        }

        @Override
        public String onKernel(Machine k) throws VfsException {
            k.process(who).chown(path, uid, gid);
            return OK;
        }

        @Override
        public String toString() {
            return who + ": chown " + uid + ":" + gid + " " + path;
        }
    }

    record Link(Who who, String oldPath, String newPath) implements Step {
        @Override
        public String onModel(Model m) {
            m.link(who, oldPath, newPath);
            return OK;
        }

        @Override
        public String onKernel(Machine k) throws VfsException {
            k.process(who).link(oldPath, newPath);
            return OK;
        }

        @Override
        public String toString() {
            return who + ": link " + oldPath + " " + newPath;
        }
    }

    record Symlink(Who who, String target, String path) implements Step {
        @Override
        public String onModel(Model m) {
            m.symlink(who, target, path);
            return OK;
        }

        @Override
        public String onKernel(Machine k) throws VfsException {
            k.process(who).symlink(target, path);
            return OK;
        }

        @Override
        public String toString() {
            return who + ": symlink " + path + " -> " + target;
        }
    }

    record Rename(Who who, String oldPath, String newPath) implements Step {
        @Override
        public String onModel(Model m) {
            m.rename(who, oldPath, newPath);
            return OK;
        }

        @Override
        public String onKernel(Machine k) throws VfsException {
            k.process(who).rename(oldPath, newPath);
            return OK;
        }

        @Override
        public String toString() {
            return who + ": rename " + oldPath + " " + newPath;
        }
    }

    record Unlink(Who who, String path) implements Step {
        @Override
        public String onModel(Model m) {
            m.unlink(who, path);
            return OK;
        }

        @Override
        public String onKernel(Machine k) throws VfsException {
            k.process(who).unlink(path);
            return OK;
        }

        @Override
        public String toString() {
            return who + ": unlink " + path;
        }
    }

    record Mkdir(Who who, String path, int mode) implements Step {
        @Override
        public String onModel(Model m) {
            m.mkdir(who, path, mode);
            return OK;
        }

        @Override
        public String onKernel(Machine k) throws VfsException {
            k.process(who).mkdir(path, mode);
            return OK;
        }

        @Override
        public String toString() {
            return who + ": mkdir " + path + " " + octal(mode);
        }
    }

    record Rmdir(Who who, String path) implements Step {
        @Override
        public String onModel(Model m) {
            m.rmdir(who, path);
            return OK;
        }

        @Override
        public String onKernel(Machine k) throws VfsException {
            k.process(who).rmdir(path);
            return OK;
        }

        @Override
        public String toString() {
            return who + ": rmdir " + path;
        }
    }

    /** Mounts a new volume of {@link Machine#VOLUME_LIMIT_PAGES} pages. */
    record Mount(Who who, String target, boolean readOnly) implements Step {
        @Override
        public String onModel(Model m) {
            m.mount(who, target, m.nextVolumeName(), Machine.VOLUME_LIMIT_PAGES, readOnly);
            return OK;
        }

        @Override
        public String onKernel(Machine k) throws VfsException {
            String name = k.nextVolumeName();
            VolumeSpec spec =
                    VolumeSpec.of(name, Machine.VOLUME_LIMIT_PAGES * k.pageSize)
                            .withGeometry(PageGeometry.of(k.pageSize));
            k.process(who).mount(spec, target, flags(readOnly));
            k.mounted();
            return OK;
        }

        @Override
        public String toString() {
            return who + ": mount" + (readOnly ? " -o ro " : " ") + target;
        }
    }

    record Remount(Who who, String target, boolean readOnly) implements Step {
        @Override
        public String onModel(Model m) {
            m.remount(who, target, readOnly);
            return OK;
        }

        @Override
        public String onKernel(Machine k) throws VfsException {
            k.process(who).remount(target, flags(readOnly));
            return OK;
        }

        @Override
        public String toString() {
            return who + ": mount -o remount," + (readOnly ? "ro " : "rw ") + target;
        }
    }

    record Umount(Who who, String target) implements Step {
        @Override
        public String onModel(Model m) {
            m.umount(who, target);
            return OK;
        }

        @Override
        public String onKernel(Machine k) throws VfsException {
            k.process(who).umount(target);
            return OK;
        }

        @Override
        public String toString() {
            return who + ": umount " + target;
        }
    }

    record StatPath(Who who, String path, boolean follow) implements Step {
        @Override
        public String onModel(Model m) {
            return m.stat(who, path, follow);
        }

        @Override
        public String onKernel(Machine k) throws VfsException {
            Process p = k.process(who);
            Stat st = follow ? p.stat(path) : p.lstat(path);
            return Format.stat(
                    st.type().symbol(),
                    st.permissions(),
                    st.uid(),
                    st.gid(),
                    st.nlink(),
                    st.size(),
                    st.blocks());
        }

        @Override
        public String toString() {
            return who + ": " + (follow ? "stat " : "lstat ") + path;
        }
    }

    /** open(O_RDONLY or O_RDWR), keeping the descriptor for later steps. */
    record OpenHeld(Who who, String path, boolean writable) implements Step {
        @Override
        public String onModel(Model m) {
            m.openHeld(who, path, writable);
            return OK;
        }

        @Override
        public String onKernel(Machine k) throws VfsException {
            k.held(k.process(who).open(path, writable ? Fcntl.O_RDWR : Fcntl.O_RDONLY));
            return OK;
        }

        @Override
        public String toString() {
            return who + ": keep open " + path + (writable ? " O_RDWR" : " O_RDONLY");
        }
    }

    record WriteHeld(int index, Who who, long offset, int length, int seed)
            implements Step, Writes {
        @Override
        public String onModel(Model m) {
            m.writeHeld(index, offset, Machine.pattern(seed, length));
            return "wrote " + length;
        }

        @Override
        public String onKernel(Machine k) throws VfsException {
            ByteBuffer src = ByteBuffer.wrap(Machine.pattern(seed, length));
            return "wrote " + k.process(who).pwrite(k.heldFd(index), src, offset);
        }

        @Override
        public String toString() {
            return who + ": pwrite " + length + " B at " + offset + " to kept descriptor #" + index;
        }
    }

    record ReadHeld(int index, Who who, long offset, int length) implements Step {
        @Override
        public String onModel(Model m) {
            return m.readHeld(index, offset, length);
        }

        @Override
        public String onKernel(Machine k) throws VfsException {
            return pread(k.process(who), k.heldFd(index), offset, length);
        }

        @Override
        public String toString() {
            return who + ": pread " + length + " B at " + offset + " of kept descriptor #" + index;
        }
    }

    record CloseHeld(int index, Who who) implements Step {
        @Override
        public String onModel(Model m) {
            m.closeHeld(index);
            return OK;
        }

        @Override
        public String onKernel(Machine k) throws VfsException {
            k.process(who).close(k.heldFd(index));
            k.released(index);
            return OK;
        }

        @Override
        public String toString() {
            return who + ": close kept descriptor #" + index;
        }
    }

    private static String pread(Process p, int fd, long offset, int length) throws VfsException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        int n = p.pread(fd, buf, offset);
        return Model.bytesRead(Arrays.copyOf(buf.array(), n));
    }

    private static Set<MountFlag> flags(boolean readOnly) {
        return readOnly ? Set.of(MountFlag.READ_ONLY) : Set.of();
    }

    static String flagNames(int flags) {
        String s = new String[] {"O_RDONLY", "O_WRONLY", "O_RDWR", "?"}[flags & 3];
        s += (flags & Fcntl.O_CREAT) != 0 ? "|O_CREAT" : "";
        s += (flags & Fcntl.O_EXCL) != 0 ? "|O_EXCL" : "";
        s += (flags & Fcntl.O_NOFOLLOW) != 0 ? "|O_NOFOLLOW" : "";
        return s + ((flags & Fcntl.O_TRUNC) != 0 ? "|O_TRUNC" : "");
    }
}
