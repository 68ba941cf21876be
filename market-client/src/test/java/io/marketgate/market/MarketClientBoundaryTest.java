package io.marketgate.market;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Nothing reaches a market around the limiter: outside this package, no code can get at a sender or a request. */
class MarketClientBoundaryTest {

    @Test
    void the_sender_is_package_private() {
        assertThat(Modifier.isPublic(HttpSender.class.getModifiers())).isFalse();
    }

    @Test
    void a_planned_call_gives_its_request_to_no_one_outside_the_package() {
        assertThat(Arrays.stream(PlannedCall.class.getMethods()).map(Method::getReturnType))
                .doesNotContain(HttpRequest.class, HttpRequest.Builder.class);
    }

    @Test
    void the_client_exposes_no_http_client() {
        assertThat(Arrays.stream(MarketClient.class.getMethods()).map(Method::getReturnType))
                .doesNotContain(HttpClient.class, HttpSender.class, HttpRequest.class);
    }
}
