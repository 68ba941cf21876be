package io.marketgate.local;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lambda {@link Context} of one local invocation: a fresh request id, the function's name and ARN in the
 * local runtime's fake account, the remaining time until the configured timeout, the configured memory, and a logger
 * writing to SLF4J.
 */
public final class LocalContext implements Context {
    private static final Logger LOG = LoggerFactory.getLogger("io.marketgate.local.lambda");

    private final String requestId = UUID.randomUUID().toString();
    private final String functionName;
    private final long deadlineNanos;
    private final int memoryMb;
    private final LambdaLogger logger;

    /** A context of a function of {@value #DEFAULT_MEMORY_MB} MB, as a function of unknown size gets. */
    public LocalContext(String functionName, Duration timeout) {
        this(functionName, timeout, DEFAULT_MEMORY_MB);
    }

    /** The memory a context reports when the function's size is not known. */
    public static final int DEFAULT_MEMORY_MB = 1024;

    /** {@code memoryMb} if Lambda accepts it for a function (128 to 10240 MB); else an error naming {@code function}. */
    static int requireLambdaMemory(String function, int memoryMb) {
        if (memoryMb < 128 || memoryMb > 10_240) {
            throw new IllegalArgumentException("memory of " + function + " is " + memoryMb + " MB, must be 128 to 10240 MB");
        }
        return memoryMb;
    }

    /**
     * @param memoryMb the function's configured memory, as Lambda accepts it (128 to 10240 MB)
     */
    public LocalContext(String functionName, Duration timeout, int memoryMb) {
        this.memoryMb = requireLambdaMemory(functionName, memoryMb);
        this.functionName = functionName;
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
        this.logger = new LambdaLogger() {
            @Override
            public void log(String message) {
                LOG.info("[{}] {}", functionName, message);
            }

            @Override
            public void log(byte[] message) {
                log(new String(message, StandardCharsets.UTF_8));
            }
        };
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "local/" + Thread.currentThread().getName();
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:" + SqsEventSource.REGION + ":" + SqsEventSource.ACCOUNT + ":function:" + functionName;
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
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, (deadlineNanos - System.nanoTime()) / 1_000_000));
    }

    @Override
    public int getMemoryLimitInMB() {
        return memoryMb;
    }

    @Override
    public LambdaLogger getLogger() {
        return logger;
    }
}
