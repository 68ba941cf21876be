package io.marketgate.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;

// TEMP stub for the local runtime; the real class comes from branch handlers.
public final class ActionsHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    public ActionsHandler(HandlerDependencies dependencies) {}

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        throw new UnsupportedOperationException("TEMP stub: ActionsHandler comes from branch handlers");
    }
}
