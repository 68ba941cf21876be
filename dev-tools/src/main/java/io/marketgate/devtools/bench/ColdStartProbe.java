package io.marketgate.devtools.bench;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The process {@link ColdStartBench} starts for one measured cold start: a fresh JVM whose class path is the handlers'
 * Lambda jar and this class alone. It does what the Lambda runtime does with a handler (loads the class by name and
 * makes it with its public no-argument constructor: the init phase; then calls {@code handleRequest} with an SQS event
 * and a context), and prints one line {@code COLDSTART key=epochMicros …} with the moments it saw.
 *
 * <p>Arguments: {@code cold|primed}, the handler's class name. In {@code primed} mode the handler's SnapStart hooks run
 * between init and the invocation ({@code beforeCheckpoint}, then {@code afterRestore}), as when Lambda restores a
 * snapshot: what the first invocation then costs is what priming leaves. The event's record comes from the variables
 * {@code PROBE_BODY} (the message) and {@code PROBE_QUEUE_ARN}.
 *
 * <p>Uses only classes of the handlers' jar (the Lambda event and context types, {@code org.crac}) and of the JDK:
 * nothing else of the bench is on its class path.
 */
public final class ColdStartProbe {

    /** The prefix of the line the probe prints. */
    static final String LINE = "COLDSTART";

    private ColdStartProbe() {}

    public static void main(String[] args) throws Exception {
        long entered = micros();
        boolean primed = args[0].equals("primed");
        Class<?> type = Class.forName(args[1]);
        Object handler = type.getConstructor().newInstance();
        long ready = micros();
        long checkpointed = 0;
        long restored = 0;
        if (primed) {
            org.crac.Resource hooks = (org.crac.Resource) handler;
            hooks.beforeCheckpoint(null);
            checkpointed = micros();
            hooks.afterRestore(null);
            restored = micros();
        }
        SQSEvent event = event(System.getenv("PROBE_BODY"), System.getenv("PROBE_QUEUE_ARN"));
        @SuppressWarnings("unchecked")
        RequestHandler<SQSEvent, SQSBatchResponse> lambda = (RequestHandler<SQSEvent, SQSBatchResponse>) handler;
        long invoked = micros();
        SQSBatchResponse response = lambda.handleRequest(event, new ProbeContext());
        long answered = micros();
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime() * 1000;
        System.out.println(LINE + " jvmStart=" + jvmStart + " entered=" + entered + " ready=" + ready
                + " checkpointed=" + checkpointed + " restored=" + restored + " invoked=" + invoked + " answered=" + answered
                + " failures=" + response.getBatchItemFailures().size());
        System.out.flush();
        // the handler's Valkey client keeps non-daemon threads, as in Lambda, where the environment is frozen instead
        System.exit(0);
    }

    private static long micros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    private static SQSEvent event(String body, String queueArn) {
        SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
        record.setMessageId("cold-start-1");
        record.setReceiptHandle("cold-start-receipt-1");
        record.setBody(body);
        record.setAttributes(Map.of("ApproximateReceiveCount", "1", "SentTimestamp", Long.toString(System.currentTimeMillis())));
        record.setEventSource("aws:sqs");
        record.setEventSourceArn(queueArn);
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(record));
        return event;
    }

    /** What the Lambda runtime hands a handler: names, a request id and the time left (15 min). */
    private static final class ProbeContext implements Context {
        private final long deadline = System.currentTimeMillis() + 900_000;

        @Override
        public String getAwsRequestId() {
            return "cold-start-request";
        }

        @Override
        public String getLogGroupName() {
            return "/aws/lambda/bench-collector";
        }

        @Override
        public String getLogStreamName() {
            return "bench";
        }

        @Override
        public String getFunctionName() {
            return "bench-collector";
        }

        @Override
        public String getFunctionVersion() {
            return "1";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:ap-northeast-2:000000000000:function:bench-collector:live";
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return (int) (deadline - System.currentTimeMillis());
        }

        @Override
        public int getMemoryLimitInMB() {
            return 1024;
        }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override
                public void log(String message) {
                    System.out.println(message);
                }

                @Override
                public void log(byte[] message) {
                    System.out.println(new String(message, StandardCharsets.UTF_8));
                }
            };
        }
    }
}
