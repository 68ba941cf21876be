package io.marketgate.limiter.valkey;

import io.marketgate.embedded.ValkeyServer;
import java.time.Duration;
import java.util.List;

/** Reads a real server's clock (TIME) and waits for it: the tests' only way to let store time pass. */
final class ServerClock {
    private ServerClock() {}

    /** The server's TIME in µs since the epoch. */
    static long nowMicros(ValkeyServer server) {
        List<?> t = (List<?>) server.command("TIME");
        return Long.parseLong((String) t.get(0)) * 1_000_000L + Long.parseLong((String) t.get(1));
    }

    /** Sleeps until the server's clock has passed its reading at the call plus {@code d}. */
    static void advance(ValkeyServer server, Duration d) throws InterruptedException {
        long target = nowMicros(server) + d.toNanos() / 1_000L;
        long left;
        while ((left = target - nowMicros(server)) >= 0) {
            Thread.sleep(left / 1_000L, (int) (left % 1_000L) * 1_000 + 1);
        }
    }
}
