package weft.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Starts weft's virtual threads (readers, writers, streams, accept loops) and keeps a live count of them, so
 * leak checks and diagnostics can list weft's threads without a JVM thread dump (virtual threads are not in
 * {@link Thread#getAllStackTraces()}). Tracking costs one concurrent-set insert and remove per thread, next to
 * the thread's own start.
 */
public final class Threads {
    private static final Set<Thread> LIVE = ConcurrentHashMap.newKeySet();

    private Threads() {}

    /** Starts {@code task} on a new virtual thread called {@code name}, counted until {@code task} returns. */
    public static Thread startVirtual(String name, Runnable task) {
        Thread thread = Thread.ofVirtual().name(name).unstarted(() -> {
            try {
                task.run();
            } finally {
                LIVE.remove(Thread.currentThread());
            }
        });
        LIVE.add(thread);
        try {
            thread.start();
        } catch (RuntimeException | Error e) {
            LIVE.remove(thread);
            throw e;
        }
        return thread;
    }

    /** The names of the virtual threads started here that have not finished yet. */
    public static List<String> liveVirtualNames() {
        List<String> names = new ArrayList<>();
        for (Thread thread : LIVE) {
            names.add(thread.getName());
        }
        return names;
    }
}
