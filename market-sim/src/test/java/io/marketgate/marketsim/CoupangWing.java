package io.marketgate.marketsim;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A test's Coupang Wing client: signs every request itself (independently of the simulator's code) as the market's
 * documentation says, with the signed date taken from the sim's clock unless a test gives another.
 */
final class CoupangWing {

    static final String API = "/v2/providers/openapi/apis/api/v4/vendors/";
    private static final DateTimeFormatter SIGNED = DateTimeFormatter.ofPattern("yyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final String baseUrl;
    private final CoupangCredentials credentials;
    private final SimClock clock;

    CoupangWing(String baseUrl, CoupangCredentials credentials, SimClock clock) {
        this.baseUrl = baseUrl;
        this.credentials = credentials;
        this.clock = clock;
    }

    static String signedDate(Instant t) {
        return SIGNED.format(t);
    }

    static String hmac(String secret, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code CEA algorithm=HmacSHA256, access-key=…, signed-date=…, signature=…}. */
    static String authorization(String accessKey, String secretKey, String signedDate, String method, String path, String query) {
        String signature = hmac(secretKey, signedDate + method + path + (query == null ? "" : query));
        return "CEA algorithm=HmacSHA256, access-key=" + accessKey + ", signed-date=" + signedDate + ", signature=" + signature;
    }

    String vendorPath(String rest) {
        return API + credentials.vendorId() + rest;
    }

    Instant now() {
        long n = clock.epochNanos();
        return Instant.ofEpochSecond(Math.floorDiv(n, 1_000_000_000L), Math.floorMod(n, 1_000_000_000L));
    }

    /** A GET of {@code path} (after the market prefix) with {@code query} exactly as given, signed now. */
    MarketClient.Reply get(String path, String query) {
        return send("GET", path, query, null, authorization(credentials.accessKey(), credentials.secretKey(),
                signedDate(now()), "GET", path, query));
    }

    MarketClient.Reply post(String path, String json) {
        return send("POST", path, null, json, authorization(credentials.accessKey(), credentials.secretKey(),
                signedDate(now()), "POST", path, null));
    }

    MarketClient.Reply ordersheets(String query) {
        return get(vendorPath("/ordersheets"), query);
    }

    /** Any request with a given {@code Authorization} header (null: none). */
    MarketClient.Reply send(String method, String path, String query, String json, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path + (query == null ? "" : "?" + query)))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json;charset=UTF-8");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return MarketClient.send(b.build());
    }

    /** One invoice for the whole box of {@code sheet} (a JSON ordersheet from a listing). */
    static String invoiceBody(String vendorId, com.fasterxml.jackson.databind.JsonNode sheet, String invoiceNumber) {
        return """
                {"vendorId":"%s","orderSheetInvoiceApplyDtos":[{"shipmentBoxId":%d,"orderId":%d,"vendorItemId":%d,
                "deliveryCompanyCode":"CJGLS","invoiceNumber":"%s","splitShipping":false,"preSplitShipped":false,
                "estimatedShippingDate":""}]}""".formatted(vendorId, sheet.get("shipmentBoxId").asLong(),
                sheet.get("orderId").asLong(), sheet.get("orderItems").get(0).get("vendorItemId").asLong(), invoiceNumber);
    }
}
