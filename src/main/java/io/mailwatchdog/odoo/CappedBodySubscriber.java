package io.mailwatchdog.odoo;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/** Collects a response body but gives up, and stops reading, once it exceeds a cap. */
final class CappedBodySubscriber implements HttpResponse.BodySubscriber<byte[]> {

    /** Signals that the cap was crossed; carries how far we read. */
    static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long read;

        TooLarge(long read) {
            super("response larger than cap", null, false, false);
            this.read = read;
        }
    }

    private final long cap;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;
    private long received;

    CappedBodySubscriber(long cap, long declaredLength) {
        this.cap = cap;
        if (declaredLength > cap) {
            // Refuse on the header alone: nothing of the body is read.
            result.completeExceptionally(new TooLarge(declaredLength));
        }
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        this.subscription = s;
        if (result.isDone()) {
            s.cancel();
        } else {
            s.request(Long.MAX_VALUE);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer item : items) {
            received += item.remaining();
            if (received > cap) {
                subscription.cancel();
                result.completeExceptionally(new TooLarge(received));
                return;
            }
            byte[] chunk = new byte[item.remaining()];
            item.get(chunk);
            buffer.writeBytes(chunk);
        }
    }

    @Override
    public void onError(Throwable throwable) {
        result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
        result.complete(buffer.toByteArray());
    }
}
