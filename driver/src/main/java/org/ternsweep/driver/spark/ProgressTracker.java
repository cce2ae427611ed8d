package org.ternsweep.driver.spark;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The console progress line of a sweep: {@code cells done/total, running, failed, ETA}. On a
 * terminal the line is rewritten in place with a carriage return; otherwise (a log file, CI) a plain
 * line is printed at most every {@code plainInterval}, plus the final one. The ETA assumes the cells
 * still to run take as long, on average, as the ones done so far (wall time, so parallelism counts).
 * Thread-safe: Spark's listener thread calls it.
 */
public final class ProgressTracker {
    private final int total;
    private final PrintWriter out;
    private final boolean tty;
    private final long plainIntervalNanos;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private int done;
    private int running;
    private long failed;
    private long lastPrintNanos;
    private String lastLine = "";

    public ProgressTracker(int total, PrintWriter out, boolean tty, Duration plainInterval, LongSupplier nanoClock) {
        if (total < 0) {
            throw new IllegalArgumentException("total cells must be >= 0, got " + total);
        }
        this.total = total;
        this.out = out;
        this.tty = tty;
        this.plainIntervalNanos = plainInterval.toNanos();
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
        this.lastPrintNanos = startNanos;
    }

    public synchronized void started() {
        running++;
        print(false);
    }

    /**
     * A task ended.
     *
     * @param success     whether the task finished (its cell is stored, OK or FAILED)
     * @param failedCells the number of FAILED cells so far
     */
    public synchronized void ended(boolean success, long failedCells) {
        running = Math.max(0, running - 1);
        if (success) {
            done++;
        }
        failed = failedCells;
        print(done == total);
    }

    /** Prints the final state (and ends the carriage-return line). */
    public synchronized void finish(long failedCells) {
        failed = failedCells;
        running = 0;
        print(true);
        if (tty) {
            out.println();
        }
    }

    /** The current line, e.g. {@code cells 3/10, running 2, failed 0, ETA 0:01:05}. */
    public synchronized String line() {
        return "cells " + done + "/" + total + ", running " + running + ", failed " + failed + ", ETA " + eta();
    }

    private String eta() {
        if (done == total) {
            return "0:00:00";
        }
        if (done == 0) {
            return "?";
        }
        long elapsed = nanoClock.getAsLong() - startNanos;
        long remaining = elapsed / done * (total - done);
        Duration d = Duration.ofNanos(remaining);
        return String.format("%d:%02d:%02d", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
    }

    private void print(boolean force) {
        String line = line();
        long now = nanoClock.getAsLong();
        if (tty) {
            int pad = Math.max(0, lastLine.length() - line.length());
            out.print("\r" + line + " ".repeat(pad));
            out.flush();
        } else if (force || now - lastPrintNanos >= plainIntervalNanos) {
            if (!line.equals(lastLine)) {
                out.println(line);
            }
            lastPrintNanos = now;
        } else {
            return;
        }
        lastLine = line;
    }
}
