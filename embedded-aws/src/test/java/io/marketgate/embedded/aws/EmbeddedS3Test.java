package io.marketgate.embedded.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

class EmbeddedS3Test {

    @TempDir
    Path dir;

    @Test
    void an_object_put_is_fetched_by_plain_http_from_its_presigned_url() throws Exception {
        try (EmbeddedS3 s3 = EmbeddedS3.start(); S3Client client = s3.client(); S3Presigner presigner = s3.presigner()) {
            // GIVEN
            client.createBucket(b -> b.bucket("exports"));
            client.putObject(b -> b.bucket("exports").key("jobs/j-1.json").contentType("application/json"),
                    RequestBody.fromString("{\"orders\":[]}"));

            // WHEN
            URI url = presigner.presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(g -> g.bucket("exports").key("jobs/j-1.json"))).url().toURI();
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofString());

            // THEN
            assertThat(url.toString()).startsWith(s3.endpoint() + "/exports/jobs/j-1.json?");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"orders\":[]}");
        }
    }

    @Test
    void a_url_with_a_tampered_signature_is_refused() throws Exception {
        try (EmbeddedS3 s3 = EmbeddedS3.start(dir); S3Client client = s3.client(); S3Presigner presigner = s3.presigner()) {
            client.createBucket(b -> b.bucket("exports"));
            client.putObject(b -> b.bucket("exports").key("a"), RequestBody.fromString("secret"));
            String url = presigner.presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(g -> g.bucket("exports").key("a"))).url().toString();

            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(url.replaceAll("X-Amz-Signature=[0-9a-f]", "X-Amz-Signature=x"))).GET().build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(dir.resolve("exports")).isDirectory();
        }
    }
}
