package io.marketgate.embedded.aws;

import java.net.URI;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * An SQS-compatible server (ElasticMQ) inside this JVM, on a free loopback port, in memory. Queue URLs it hands
 * out carry its real address, so SDK clients and the local runtime's poller can use them as they are.
 *
 * <pre>{@code
 * try (EmbeddedSqs sqs = EmbeddedSqs.start(); SqsClient client = sqs.client()) {
 *     String url = client.createQueue(b -> b.queueName("coupang-collect")).queueUrl();
 * }
 * }</pre>
 */
public final class EmbeddedSqs implements AutoCloseable {
    private final SQSRestServer server;
    private final URI endpoint;

    private EmbeddedSqs(SQSRestServer server, URI endpoint) {
        this.server = server;
        this.endpoint = endpoint;
    }

    public static EmbeddedSqs start() {
        int port = LocalAws.freePort();
        SQSRestServer server = SQSRestServerBuilder
                .withInterface("127.0.0.1")
                .withPort(port)
                .withServerAddress(new NodeAddress("http", "127.0.0.1", port, ""))
                .withAWSRegion(LocalAws.REGION.id())
                .start();
        server.waitUntilStarted();
        return new EmbeddedSqs(server, URI.create("http://127.0.0.1:" + port));
    }

    public URI endpoint() {
        return endpoint;
    }

    /** A new client of this server; the caller closes it. */
    public SqsClient client() {
        return LocalAws.sqs(endpoint);
    }

    @Override
    public void close() {
        server.stopAndWait();
    }
}
