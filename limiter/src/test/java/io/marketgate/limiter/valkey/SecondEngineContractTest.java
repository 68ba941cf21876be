package io.marketgate.limiter.valkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.marketgate.embedded.ValkeyServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The limiter's contract once more, on the second server engine at hand (redis-server where the suite runs on
 * valkey-server, as in CI): the kit runs on Valkey, which the CDK app deploys, and on Redis, and one script serves
 * both. Where only one engine is installed this class is skipped and says what to install, except in CI
 * ({@code CI=true}), which installs both and fails without them.
 */
class SecondEngineContractTest extends StandaloneServerContract {

    private static ValkeyServer server;

    @BeforeAll
    static void startServer() {
        Map<String, Path> engines = ValkeyServer.installedEngines();
        if (engines.size() < 2) {
            String message = "only one server engine is at hand (" + engines.keySet() + "); the contract runs on a"
                    + " second one too when there is one: install redis-server and valkey-server (scripts/test does,"
                    + " as root on Debian)";
            if ("true".equals(System.getenv("CI"))) {
                fail(message);
            }
            Assumptions.abort(message);
        }
        server = new ValkeyServer(new ArrayList<>(engines.values()).get(1)).start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected ValkeyServer server() {
        return server;
    }

    @Test
    void runs_on_another_engine_than_the_rest_of_the_suite() {
        // the engine's own report of itself: valkey_version:8.0.1 or redis_version:7.0.15
        String engine = server.engine();
        assertThat((String) server.command("INFO", "server")).contains(engine.replace(" ", "_version:"));
        assertThat(engine).isNotEqualTo(new ValkeyServer().engine());
    }
}
