package io.marketgate.handlers.store;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Reading and writing attribute values, in one place (for this module's repositories). */
public final class Attr {
    private Attr() {}

    public static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    public static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    public static AttributeValue t(Instant value) {
        return AttributeValue.fromS(value.toString());
    }

    public static Optional<String> str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.s() == null ? Optional.empty() : Optional.of(v.s());
    }

    public static long num(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }

    public static Optional<Instant> instant(Map<String, AttributeValue> item, String name) {
        return str(item, name).map(Instant::parse);
    }
}
