package io.marketgate.handlers.observability;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * The log context of one SQS record: its keys (market, sellerId, priority, requestId, …) are put into the MDC, which
 * Powertools' JSON layout writes on every line, and removed again on {@link #close()}.
 *
 * <pre>{@code
 * try (RecordContext ctx = RecordContext.forMessage(record.getMessageId())) {
 *     ctx.put("market", message.market()).put("requestId", message.requestId());
 *     log.info("collecting");
 * }
 * }</pre>
 */
public final class RecordContext implements AutoCloseable {

    private final List<String> keys = new ArrayList<>();

    private RecordContext() {}

    public static RecordContext forMessage(String messageId) {
        return new RecordContext().put("messageId", messageId);
    }

    /** Adds {@code key}; a null value is left out. */
    public RecordContext put(String key, Object value) {
        if (value != null) {
            MDC.put(key, String.valueOf(value));
            keys.add(key);
        }
        return this;
    }

    /** Runs {@code body} with these keys, then removes them. */
    public void run(Runnable body) {
        try {
            body.run();
        } finally {
            close();
        }
    }

    /** Calls {@code body} with these keys, then removes them. */
    public <T> T call(Supplier<T> body) {
        try {
            return body.get();
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        keys.forEach(MDC::remove);
    }
}
