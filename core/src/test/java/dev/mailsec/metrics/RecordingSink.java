package dev.mailsec.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A fake sink for tests: every increment and every stopped timer, in order. */
public final class RecordingSink implements MetricSink {

    public final List<String> increments = Collections.synchronizedList(new ArrayList<>());
    public final List<String> timings = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void increment(String name) {
        increments.add(name);
    }

    @Override
    public Stopwatch start(String name) {
        return () -> timings.add(name);
    }
}
