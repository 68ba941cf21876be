package io.marketgate.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LocalContextTest {

    @Test
    void a_context_reports_its_functions_name_time_and_memory() {
        LocalContext context = new LocalContext("dev-11st-actions", Duration.ofSeconds(30), 512);

        assertThat(context.getFunctionName()).isEqualTo("dev-11st-actions");
        assertThat(context.getMemoryLimitInMB()).isEqualTo(512);
        assertThat(context.getRemainingTimeInMillis()).isBetween(25_000, 30_000);
        assertThat(context.getInvokedFunctionArn()).endsWith(":function:dev-11st-actions");
        assertThat(new LocalContext("dev-scheduler", Duration.ofMinutes(1)).getMemoryLimitInMB())
                .isEqualTo(LocalContext.DEFAULT_MEMORY_MB);
    }

    @Test
    void a_memory_lambda_would_not_accept_is_refused_naming_the_function() {
        assertThatThrownBy(() -> new LocalContext("dev-api", Duration.ofSeconds(29), 64))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dev-api")
                .hasMessageContaining("64 MB")
                .hasMessageContaining("128 to 10240");
    }
}
