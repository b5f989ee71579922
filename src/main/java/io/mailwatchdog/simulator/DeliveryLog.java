package io.mailwatchdog.simulator;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How often each (Message-ID, recipient) was accepted by an SMTP server. The simulator, like Odoo,
 * does not stop two flushes from sending the same mail; this is where tests see it happen.
 */
final class DeliveryLog {

    private final Map<Delivery, AtomicInteger> counts = new ConcurrentHashMap<>();

    void record(String messageId, String recipient) {
        counts.computeIfAbsent(new Delivery(messageId, recipient), d -> new AtomicInteger()).incrementAndGet();
    }

    Map<Delivery, Integer> all() {
        Map<Delivery, Integer> out = new TreeMap<>(java.util.Comparator.comparing(Delivery::messageId)
                .thenComparing(Delivery::recipient));
        counts.forEach((d, n) -> out.put(d, n.get()));
        return out;
    }

    Map<Delivery, Integer> duplicates() {
        Map<Delivery, Integer> out = all();
        out.values().removeIf(n -> n < 2);
        return out;
    }

    int total() {
        return counts.values().stream().mapToInt(AtomicInteger::get).sum();
    }
}
