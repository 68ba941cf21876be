package io.marketgate.cdk;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/** Every market's queues ({@link MarketQueues}), in the environment file's order. */
public final class MessagingStack extends Stack {

    private final Map<String, MarketQueues> markets = new LinkedHashMap<>();

    public MessagingStack(Construct scope, String id, StackProps props, Deployment deployment) {
        super(scope, id, props);
        deployment.infrastructure().markets().values().forEach(m ->
                markets.put(m.market(), new MarketQueues(this, Deployment.idOf(m.market()), deployment, m)));
        NagAcknowledgements nag = NagAcknowledgements.of(this);
        markets.values().forEach(q -> {
            nag.acknowledge(q.collectDlq(), "AwsSolutions-SQS3", "This queue is the dead-letter queue of the market's "
                    + "collection queue; a DLQ of a DLQ would only hide messages from the redrive");
            nag.acknowledge(q.actionsDlq(), "AwsSolutions-SQS3", "This queue is the dead-letter queue of the market's "
                    + "action queue; a DLQ of a DLQ would only hide messages from the redrive");
        });
    }

    /** The queues of {@code market}. */
    public MarketQueues market(String market) {
        return markets.get(market);
    }

    public Map<String, MarketQueues> markets() {
        return markets;
    }
}
