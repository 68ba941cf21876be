package io.marketgate.cdk;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.events.EventBus;
import software.constructs.Construct;

/**
 * Every market's queues ({@link MarketQueues}), in the environment file's order, and the environment's actions event
 * bus ({@code <env>-actions}): the actions functions put one event there per action that ended DONE or FAILED
 * ({@code marketgate.actions}, {@code Action Done} / {@code Action Failed}); other services subscribe with rules on it.
 * A bus of its own rather than the account's default one, so that only the actions functions may put events on it
 * (their policy names this bus alone) and its rules see only the platform's actions.
 */
public final class MessagingStack extends Stack {

    private final Map<String, MarketQueues> markets = new LinkedHashMap<>();
    private final EventBus actionsBus;

    public MessagingStack(Construct scope, String id, StackProps props, Deployment deployment) {
        super(scope, id, props);
        deployment.infrastructure().markets().values().forEach(m ->
                markets.put(m.market(), new MarketQueues(this, Deployment.idOf(m.market()), deployment, m)));
        actionsBus = EventBus.Builder.create(this, "ActionsBus").eventBusName(deployment.name("actions"))
                .description("Final outcomes of the " + deployment.env() + " actions (Action Done, Action Failed)").build();
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

    /** The environment's actions event bus, {@code <env>-actions}. */
    public EventBus actionsBus() {
        return actionsBus;
    }
}
