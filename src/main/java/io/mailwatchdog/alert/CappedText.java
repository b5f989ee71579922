package io.mailwatchdog.alert;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * The first bytes of a response body as text: enough to log why a receiver refused an alert, while
 * a receiver that answers with megabytes costs nothing more (the rest is not read).
 */
final class CappedText implements HttpResponse.BodySubscriber<String> {

    private final int limit;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<String> text = new CompletableFuture<>();
    private Flow.Subscription subscription;

    CappedText(int limit) {
        this.limit = limit;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        for (ByteBuffer b : buffers) {
            int n = Math.min(b.remaining(), limit - bytes.size());
            byte[] chunk = new byte[n];
            b.get(chunk);
            bytes.write(chunk, 0, n);
        }
        if (bytes.size() >= limit) {
            subscription.cancel();
            onComplete();
        }
    }

    @Override
    public void onError(Throwable t) {
        text.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        text.complete(bytes.toString(StandardCharsets.UTF_8));
    }

    @Override
    public CompletionStage<String> getBody() {
        return text;
    }
}
