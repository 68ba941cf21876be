package io.marketgate.handlers;

import io.marketgate.config.EnvironmentConfig;
import io.marketgate.limiter.LimiterListener;
import io.marketgate.limiter.LimiterStore;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

// TEMP stub for the local runtime; the real class comes from branch handlers.
public record HandlerDependencies(EnvironmentConfig environment, DynamoDbClient dynamoDb, SqsClient sqs, Tables tables,
        QueueDirectory queues, Function<String, LimiterStore> storeForMarket, LimiterListener limiterListener,
        HttpClient http, Clock clock, Map<String, String> envVars, Duration maxLimiterWait, int lowMaxAttempts) {

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private EnvironmentConfig environment;
        private DynamoDbClient dynamoDb;
        private SqsClient sqs;
        private Tables tables;
        private QueueDirectory queues;
        private Function<String, LimiterStore> storeForMarket;
        private LimiterListener limiterListener = LimiterListener.NONE;
        private HttpClient http;
        private Clock clock = Clock.systemUTC();
        private Map<String, String> envVars = Map.of();
        private Duration maxLimiterWait = Duration.ofSeconds(2);
        private int lowMaxAttempts = 5;

        public Builder environment(EnvironmentConfig v) { environment = v; return this; }
        public Builder dynamoDb(DynamoDbClient v) { dynamoDb = v; return this; }
        public Builder sqs(SqsClient v) { sqs = v; return this; }
        public Builder tables(Tables v) { tables = v; return this; }
        public Builder queues(QueueDirectory v) { queues = v; return this; }
        public Builder storeForMarket(Function<String, LimiterStore> v) { storeForMarket = v; return this; }
        public Builder limiterListener(LimiterListener v) { limiterListener = v; return this; }
        public Builder http(HttpClient v) { http = v; return this; }
        public Builder clock(Clock v) { clock = v; return this; }
        public Builder envVars(Map<String, String> v) { envVars = v; return this; }
        public Builder maxLimiterWait(Duration v) { maxLimiterWait = v; return this; }
        public Builder lowMaxAttempts(int v) { lowMaxAttempts = v; return this; }

        public HandlerDependencies build() {
            return new HandlerDependencies(environment, dynamoDb, sqs, tables, queues, storeForMarket, limiterListener,
                    http, clock, envVars, maxLimiterWait, lowMaxAttempts);
        }
    }
}
