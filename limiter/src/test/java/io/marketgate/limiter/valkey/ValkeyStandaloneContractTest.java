package io.marketgate.limiter.valkey;

import io.marketgate.embedded.ValkeyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The limiter's contract on one real server, started by the test run: the default engine, which the rest of the
 * suite uses too (valkey-server when installed, the engine the CDK app deploys; see {@link SecondEngineContractTest}).
 */
class ValkeyStandaloneContractTest extends StandaloneServerContract {

    private static ValkeyServer server;

    @BeforeAll
    static void startServer() {
        server = new ValkeyServer().start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Override
    protected ValkeyServer server() {
        return server;
    }
}
