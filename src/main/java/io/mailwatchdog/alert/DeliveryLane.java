package io.mailwatchdog.alert;

import static io.mailwatchdog.text.Texts.human;

import io.mailwatchdog.http.WatchdogMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.ListIterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerts of one webhook, delivered one at a time in the order they were raised, so that a
 * receiver never sees "recovered" before the FAIL it ends. A dead webhook holds up only its own lane.
 * Nothing here blocks a caller: HTTP is asynchronous and retries wait on a timer.
 *
 * <p>Every alert ends counted exactly once in {@code odoo_mail_watchdog_alerts_total{webhook,outcome}}:
 * delivered; failed (the last attempt failed, or the receiver refused it), logged at ERROR; or dropped
 * (the queue was full, or the watchdog stopped first), logged at ERROR.
 */
final class DeliveryLane {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryLane.class);

    private final Webhook webhook;
    private final AlertSettings settings;
    private final WebhookBodies bodies;
    private final WebhookSender sender;
    private final ScheduledExecutorService timers;
    private final WatchdogMetrics metrics;
    private final LinkedList<Delivery> waiting = new LinkedList<>();
    /** The delivery being attempted, or waiting for its retry; null when the lane is idle. */
    private Delivery current;
    private boolean closed;

    DeliveryLane(Webhook webhook, AlertSettings settings, WebhookBodies bodies, WebhookSender sender,
                 ScheduledExecutorService timers, WatchdogMetrics metrics) {
        this.webhook = webhook;
        this.settings = settings;
        this.bodies = bodies;
        this.sender = sender;
        this.timers = timers;
        this.metrics = metrics;
        if (metrics != null) {
            metrics.alertWebhook(webhook.name());
        }
    }

    String name() {
        return webhook.name();
    }

    /** People get changes and reminders; Alertmanager gets changes and its keep-alives. */
    boolean wants(Alert a) {
        return switch (webhook.format()) {
            case ALERTMANAGER -> a.reason() != Alert.Reason.REMINDER;
            case GENERIC, SLACK -> a.reason() != Alert.Reason.REFRESH;
        };
    }

    /** Queues the alert and returns at once. */
    void offer(Alert alert) {
        Delivery d = new Delivery(alert, bodies.render(webhook.format(), alert));
        Delivery start = null;
        synchronized (this) {
            if (closed) {
                drop(d, "the alerter is closed");
                return;
            }
            if (alert.reason() != Alert.Reason.CHANGE && replaceWaitingReminder(d)) {
                return;
            }
            if (current == null) {
                current = d;
                start = d;
            } else if (waiting.size() >= settings.queueCapacity()) {
                drop(d, settings.queueCapacity() + " alerts already wait for this webhook (queue capacity)");
                return;
            } else {
                waiting.add(d);
                queued();
            }
        }
        if (start != null) {
            dispatch(start, Duration.ZERO);
        }
    }

    /**
     * A reminder replaces a reminder of the same check still waiting: the news is the same, only newer.
     * It does not jump over a change of that check, so the order of changes holds.
     */
    private boolean replaceWaitingReminder(Delivery d) {
        ListIterator<Delivery> it = waiting.listIterator(waiting.size());
        while (it.hasPrevious()) {
            Delivery w = it.previous();
            if (w.alert.sameCheck(d.alert)) {
                if (w.alert.reason() == Alert.Reason.CHANGE) {
                    return false;
                }
                it.set(d);
                return true;
            }
        }
        return false;
    }

    private void dispatch(Delivery d, Duration after) {
        try {
            d.pending(timers.schedule(() -> attempt(d), after.toNanos(), TimeUnit.NANOSECONDS));
        } catch (RejectedExecutionException stopped) {
            if (d.settle()) {
                LOG.error("alert {} not delivered to webhook {}: the alerter stopped first (after {} attempt(s))",
                        d.alert.label(), webhook.name(), d.attempts());
                count("dropped"); // after the log line: whoever sees the count finds the line
            }
            next();
        }
    }

    private void attempt(Delivery d) {
        if (d.isSettled()) {
            return;
        }
        d.countAttempt();
        if (metrics != null) {
            metrics.alertAttempt(webhook.name());
        }
        CompletableFuture<AttemptResult> f;
        try {
            f = sender.post(webhook, d.body);
        } catch (RuntimeException e) {
            f = CompletableFuture.completedFuture(AttemptResult.refused("unexpected " + e.getClass().getSimpleName(), "?"));
        }
        d.pending(f);
        f.whenComplete((result, error) -> settleOrRetry(d, result != null ? result
                : AttemptResult.retry(error == null ? "no result" : error.getClass().getSimpleName(), "?", null)));
    }

    private void settleOrRetry(Delivery d, AttemptResult r) {
        if (d.isSettled()) {
            return;
        }
        switch (r.verdict()) {
            case DELIVERED -> {
                if (d.settle()) {
                    count("delivered");
                    LOG.debug("alert {} delivered to webhook {} ({}) at attempt {}", d.alert.label(), webhook.name(),
                            r.where(), d.attempts());
                }
            }
            case RETRY -> {
                if (d.attempts() < settings.maxAttempts()) {
                    Duration wait = Backoff.after(settings.firstBackoff(), d.attempts(), r.retryAfter());
                    LOG.info("alert {} to webhook {} ({}): attempt {} of {} failed: {}; next attempt in {}",
                            d.alert.label(), webhook.name(), r.where(), d.attempts(), settings.maxAttempts(), r.reason(),
                            human(wait));
                    dispatch(d, wait);
                    return;
                }
                fail(d, r, "after " + d.attempts() + " attempt(s)");
            }
            case REFUSED -> fail(d, r, "at attempt " + d.attempts());
        }
        next();
    }

    private void fail(Delivery d, AttemptResult r, String when) {
        if (d.settle()) {
            LOG.error("alert {} not delivered to webhook {} ({}) {}: {}", d.alert.label(), webhook.name(), r.where(),
                    when, r.reason());
            count("failed"); // after the log line: whoever sees the count finds the line
        }
    }

    /** Moves on to the next waiting alert, if any. */
    private void next() {
        Delivery n;
        synchronized (this) {
            n = waiting.poll();
            current = n;
            queued();
            if (n == null) {
                notifyAll();
            }
        }
        if (n != null) {
            dispatch(n, Duration.ZERO);
        }
    }

    /** Drops a new alert: logged and counted, never silent. Called with the lock held. */
    private void drop(Delivery d, String why) {
        if (d.settle()) {
            LOG.error("alert {} dropped for webhook {}: {}", d.alert.label(), webhook.name(), why);
            count("dropped"); // after the log line: whoever sees the count finds the line
        }
    }

    /** New alerts are dropped from now on; those already queued still go out. */
    synchronized void stopAccepting() {
        closed = true;
    }

    /** Waits until every queued alert is settled, or until the deadline (System.nanoTime); true when idle. */
    synchronized boolean awaitIdle(long deadlineNanos) throws InterruptedException {
        while (current != null) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** Gives up on what is left: each alert is logged and counted as dropped. */
    void abandon() {
        List<Delivery> left = new ArrayList<>();
        synchronized (this) {
            closed = true;
            if (current != null) {
                left.add(current);
            }
            left.addAll(waiting);
            waiting.clear();
            current = null;
            queued();
            notifyAll();
        }
        for (Delivery d : left) {
            if (d.settle()) {
                LOG.error("alert {} not delivered to webhook {}: the watchdog stopped first (after {} attempt(s))",
                        d.alert.label(), webhook.name(), d.attempts());
                count("dropped"); // after the log line: whoever sees the count finds the line
            }
        }
    }

    private void count(String outcome) {
        if (metrics != null) {
            metrics.alertOutcome(webhook.name(), outcome);
        }
    }

    private void queued() {
        if (metrics != null) {
            metrics.alertsQueued(webhook.name(), waiting.size());
        }
    }
}
