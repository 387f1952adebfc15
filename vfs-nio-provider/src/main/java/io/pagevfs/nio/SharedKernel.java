package io.pagevfs.nio;

import io.pagevfs.core.Vfs;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What the views of one PageVFS filesystem share: the kernel, the configuration and the principals.
 */
final class SharedKernel {
    final String name;
    final Vfs vfs;
    final PageVfsConfig config;
    final Principals principals;
    final Set<PageVfsFileSystem> views = ConcurrentHashMap.newKeySet();
    private @Nullable ExecutorService defaultExecutor;

    SharedKernel(String name, Vfs vfs, PageVfsConfig config) {
        this.name = name;
        this.vfs = vfs;
        this.config = config;
        this.principals = new Principals(config);
    }

    /**
     * The executor for asynchronous channels: the configured one, or a cached daemon pool made on
     * first use.
     */
    synchronized ExecutorService asyncExecutor() {
        if (config.asyncExecutor() != null) {
            return config.asyncExecutor();
        }
        if (defaultExecutor == null) {
            AtomicInteger n = new AtomicInteger();
            defaultExecutor =
                    Executors.newCachedThreadPool(
                            r -> {
                                Thread t =
                                        new Thread(
                                                r,
                                                "pagevfs-"
                                                        + name
                                                        + "-async-"
                                                        + n.incrementAndGet());
                                t.setDaemon(true);
                                return t;
                            });
        }
        return defaultExecutor;
    }

    synchronized void close() {
        vfs.close();
        if (defaultExecutor != null) {
            defaultExecutor.shutdown();
        }
    }
}
