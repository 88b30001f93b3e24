package org.f2ba.app;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * What this JVM's heap held: the peak of its pools, which counts garbage not yet collected (and
 * so follows when the collector runs), and the most it still held right after a collection,
 * which is what the JVM had to keep.
 */
public final class HeapUse {
  private static final AtomicLong RETAINED = new AtomicLong(-1);
  private static final Set<String> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans()
      .stream().filter(pool -> pool.getType() == MemoryType.HEAP)
      .map(MemoryPoolMXBean::getName).collect(Collectors.toSet());

  private static final AtomicBoolean WATCHING = new AtomicBoolean();

  private HeapUse() {
  }

  /** Starts watching the collections, if not yet. */
  public static void watch() {
    if (!WATCHING.compareAndSet(false, true)) {
      return;
    }
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (collector instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener((notification, handback) -> {
          if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
              .equals(notification.getType())) {
            long held = GarbageCollectionNotificationInfo.from(
                (CompositeData) notification.getUserData()).getGcInfo().getMemoryUsageAfterGc()
                .entrySet().stream().filter(pool -> HEAP_POOLS.contains(pool.getKey()))
                .mapToLong(pool -> pool.getValue().getUsed()).sum();
            RETAINED.accumulateAndGet(held, Math::max);
          }
        }, null, null);
      }
    }
  }

  /**
   * The sum of the heap pools' peaks since the JVM started: an upper bound of any one moment's
   * use. In local mode the executors share the driver's JVM, cached blocks included.
   */
  public static long peak() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }

  /**
   * The most the heap held right after a collection since {@link #watch}, or -1 where none
   * has run since.
   */
  public static long retainedPeak() {
    return RETAINED.get();
  }
}
