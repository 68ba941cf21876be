package io.marketgate.deployed.tokens;

import io.marketgate.embedded.ValkeyServer;
import io.marketgate.limiter.valkey.ValkeyStoreOptions;
import io.marketgate.limiter.valkey.ValkeyTokenStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The token cache's contract on one real server, as the local platform runs it. */
class StandaloneTokenCacheTest extends TokenCacheContract {

    private static ValkeyServer server;

    @BeforeAll
    static void start() {
        server = new ValkeyServer().start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Override
    protected ValkeyTokenStore connect() {
        return ValkeyTokenStore.standalone(server.uri(), ValkeyStoreOptions.builder().keyPrefix("mg-local").build());
    }

    @Override
    protected ValkeyServer serverOf(String valkeyKey) {
        return server;
    }
}
