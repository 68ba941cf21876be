package io.marketgate.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.marketgate.handlers.messages.ScheduleEvent;

// TEMP stub for the local runtime; the real class comes from branch handlers.
public final class SchedulerHandler implements RequestHandler<ScheduleEvent, Object> {
    public SchedulerHandler(HandlerDependencies dependencies) {}

    @Override
    public Object handleRequest(ScheduleEvent event, Context context) {
        throw new UnsupportedOperationException("TEMP stub: SchedulerHandler comes from branch handlers");
    }
}
