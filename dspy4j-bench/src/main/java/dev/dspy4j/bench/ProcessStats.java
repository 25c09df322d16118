package dev.dspy4j.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the harnesses read about their own JVM: CPU of its Java threads and its peak RSS. */
final class ProcessStats {

    private ProcessStats() {}

    /**
     * CPU time of the JVM's live Java platform threads: the virtual threads' carriers, the HTTP
     * client's selector and the harness itself, but not the JIT compiler or GC threads (which are
     * not Java threads). Threads that end during a run are missed; the measured ones live throughout.
     */
    static long javaThreadsCpuNanos() {
        var threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (long id : threads.getAllThreadIds()) {
            long cpu = threads.getThreadCpuTime(id);
            if (cpu > 0) {
                total += cpu;
            }
        }
        return total;
    }

    /** The process's peak resident set ({@code VmHWM}) in MB, or -1 where /proc cannot tell. */
    static long peakRssMegabytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
