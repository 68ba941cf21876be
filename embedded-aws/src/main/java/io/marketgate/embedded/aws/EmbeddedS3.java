package io.marketgate.embedded.aws;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * An S3-compatible server (S3Proxy) inside this JVM, on a free loopback port, with SigV4 authentication by
 * {@link LocalAws}' dummy credentials, so presigned URLs are checked as S3 checks them. Objects live in memory
 * ({@link #start()}) or under a directory ({@link #start(Path)}).
 *
 * <pre>{@code
 * try (EmbeddedS3 s3 = EmbeddedS3.start(); S3Client client = s3.client()) {
 *     client.createBucket(b -> b.bucket("exports"));
 * }
 * }</pre>
 */
public final class EmbeddedS3 implements AutoCloseable {
    private final S3Proxy proxy;
    private final URI endpoint;

    private EmbeddedS3(S3Proxy proxy, URI endpoint) {
        this.proxy = proxy;
        this.endpoint = endpoint;
    }

    /** A server whose objects live in memory and vanish with it. */
    public static EmbeddedS3 start() {
        return start(new TransientNio2BlobStore());
    }

    /** A server whose buckets are directories under {@code directory} (created when missing). */
    public static EmbeddedS3 start(Path directory) {
        Objects.requireNonNull(directory, "directory");
        try {
            java.nio.file.Files.createDirectories(directory);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + directory, e);
        }
        return start(new FilesystemNio2BlobStore(directory.toAbsolutePath().toString()));
    }

    private static EmbeddedS3 start(BlobStore blobs) {
        int port = LocalAws.freePort();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(blobs)
                .endpoint(endpoint)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, LocalAws.ACCESS_KEY, LocalAws.SECRET_KEY)
                .build();
        try {
            proxy.start();
            while (!"STARTED".equals(proxy.getState())) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while S3Proxy started", e);
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not start on " + endpoint + ": " + e.getMessage(), e);
        }
        return new EmbeddedS3(proxy, endpoint);
    }

    public URI endpoint() {
        return endpoint;
    }

    /** A new client of this server (path-style); the caller closes it. */
    public S3Client client() {
        return LocalAws.s3(endpoint);
    }

    /** A presigner whose URLs point at this server; the caller closes it. */
    public S3Presigner presigner() {
        return LocalAws.s3Presigner(endpoint);
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not stop: " + e.getMessage(), e);
        }
    }
}
