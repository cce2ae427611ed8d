package org.ternsweep.driver.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTrackerTest {
    private final AtomicLong clock = new AtomicLong();
    private final StringWriter text = new StringWriter();

    private ProgressTracker tracker(int total, boolean tty) {
        return new ProgressTracker(total, new PrintWriter(text, true), tty, Duration.ofSeconds(10), clock::get);
    }

    @Test
    void etaExtrapolatesFromTheCellsDone() {
        ProgressTracker t = tracker(4, false);
        assertEquals("cells 0/4, running 0, failed 0, ETA ?", t.line());
        t.started();
        t.started();
        clock.set(Duration.ofSeconds(30).toNanos());
        t.ended(true, 1);
        assertEquals("cells 1/4, running 1, failed 1, ETA 0:01:30", t.line());
        t.ended(false, 1);
        assertEquals("cells 1/4, running 0, failed 1, ETA 0:01:30", t.line(), "a failed task attempt is not a cell done");
    }

    @Test
    void plainOutputPrintsAtMostEveryIntervalAndTheEnd() {
        ProgressTracker t = tracker(2, false);
        t.started();
        t.started();
        assertEquals("", text.toString());
        clock.set(Duration.ofSeconds(11).toNanos());
        t.ended(true, 0);
        clock.set(Duration.ofSeconds(12).toNanos());
        t.ended(true, 0);
        t.finish(0);
        String[] lines = text.toString().split("\n");
        assertEquals(2, lines.length, text.toString());
        assertEquals("cells 1/2, running 1, failed 0, ETA 0:00:11", lines[0]);
        assertEquals("cells 2/2, running 0, failed 0, ETA 0:00:00", lines[1]);
    }

    @Test
    void terminalOutputRewritesOneLine() {
        ProgressTracker t = tracker(1, true);
        t.started();
        t.ended(true, 0);
        t.finish(0);
        String s = text.toString();
        assertTrue(s.startsWith("\rcells 0/1, running 1"), s);
        assertTrue(s.contains("\rcells 1/1, running 0, failed 0, ETA 0:00:00"), s);
        assertEquals(1, s.split("\n", -1).length - 1, "one newline at the end: " + s);
    }
}
