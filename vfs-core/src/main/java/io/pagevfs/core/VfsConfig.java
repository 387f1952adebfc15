package io.pagevfs.core;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * How a {@link Vfs} is made: the root volume, the clock, the default umask and descriptor limit,
 * the {@code fs.protected_hardlinks} policy and the device drivers. Immutable; made by {@link
 * #builder()}.
 */
public final class VfsConfig {
    private final VolumeSpec rootVolume;
    private final FileClock clock;
    private final int umask;
    private final int maxOpenFiles;
    private final boolean protectedHardlinks;
    private final ImmutableMap<Long, DeviceHandler> devices;
    private final HostMemory hostMemory;

    private VfsConfig(Builder b) {
        this.rootVolume = b.rootVolume;
        this.clock = b.clock;
        this.umask = b.umask;
        this.maxOpenFiles = b.maxOpenFiles;
        this.protectedHardlinks = b.protectedHardlinks;
        this.devices = ImmutableMap.copyOf(b.devices);
        this.hostMemory = b.hostMemory;
    }

    public static VfsConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.rootVolume = rootVolume;
        b.clock = clock;
        b.umask = umask;
        b.maxOpenFiles = maxOpenFiles;
        b.protectedHardlinks = protectedHardlinks;
        b.devices.clear();
        b.devices.putAll(devices);
        b.hostMemory = hostMemory;
        return b;
    }

    public VolumeSpec rootVolume() {
        return rootVolume;
    }

    public PageGeometry geometry() {
        return rootVolume.geometry();
    }

    public FileClock clock() {
        return clock;
    }

    public int umask() {
        return umask;
    }

    public int maxOpenFiles() {
        return maxOpenFiles;
    }

    /** Where memory-mapped files live (default: unlinked files in /dev/shm). */
    public HostMemory hostMemory() {
        return hostMemory;
    }

    public boolean protectedHardlinks() {
        return protectedHardlinks;
    }

    @Nullable DeviceHandler device(FileType type, long rdev) {
        return devices.get(deviceKey(type, rdev));
    }

    private static long deviceKey(FileType type, long rdev) {
        return type == FileType.BLOCK_DEVICE ? ~rdev : rdev;
    }

    /**
     * The default memory limit of the root volume: half the JVM's maximum heap, as tmpfs takes half
     * of RAM.
     */
    public static long defaultMemoryLimit() {
        return Runtime.getRuntime().maxMemory() / 2;
    }

    public static final class Builder {
        private VolumeSpec rootVolume = VolumeSpec.of("pagevfs", defaultMemoryLimit());
        private FileClock clock = FileClock.system();
        private int umask = 022;
        private int maxOpenFiles = 1 << 20;
        private boolean protectedHardlinks = true;
        private final Map<Long, DeviceHandler> devices = new LinkedHashMap<>();
        private HostMemory hostMemory = HostMemory.system();

        private Builder() {
            device(FileType.CHAR_DEVICE, Devices.makedev(1, 3), DeviceHandler.NULL);
            device(FileType.CHAR_DEVICE, Devices.makedev(1, 5), DeviceHandler.ZERO);
        }

        /** The page size of the root volume (and the default for mounted ones). */
        public Builder pageSize(int pageSize) {
            rootVolume = rootVolume.withGeometry(PageGeometry.of(pageSize));
            return this;
        }

        public Builder memoryLimit(long bytes) {
            rootVolume = rootVolume.withMemoryLimit(bytes);
            return this;
        }

        public Builder rootVolume(VolumeSpec spec) {
            rootVolume = Preconditions.checkNotNull(spec, "spec");
            return this;
        }

        public Builder clock(FileClock c) {
            clock = Preconditions.checkNotNull(c, "clock");
            return this;
        }

        /** The umask new processes start with (default 022). */
        public Builder umask(int mask) {
            Preconditions.checkArgument(
                    (mask & ~0777) == 0,
                    "umask must be within 0777: 0%s",
                    Integer.toOctalString(mask));
            umask = mask;
            return this;
        }

        public Builder maxOpenFiles(int n) {
            Preconditions.checkArgument(n >= 3, "a process needs at least 3 descriptors: %s", n);
            maxOpenFiles = n;
            return this;
        }

        /** Linux's {@code fs.protected_hardlinks} (default on, as on most distributions). */
        public Builder protectedHardlinks(boolean on) {
            protectedHardlinks = on;
            return this;
        }

        /** Registers the driver of the character or block device {@code rdev}. */
        public Builder device(FileType type, long rdev, DeviceHandler handler) {
            Preconditions.checkArgument(type.isDevice(), "not a device type: %s", type);
            devices.put(deviceKey(type, rdev), Preconditions.checkNotNull(handler, "handler"));
            return this;
        }

        /** Where memory-mapped files live. */
        public Builder hostMemory(HostMemory memory) {
            hostMemory = Preconditions.checkNotNull(memory, "memory");
            return this;
        }

        public VfsConfig build() {
            return new VfsConfig(this);
        }
    }
}
