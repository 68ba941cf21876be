package io.marketgate.marketsim;

/**
 * The wire protocol a simulated market speaks under its base path {@code http://host:port/{name}}.
 *
 * <ul>
 *   <li>{@link #REFERENCE}: the project's own REST protocol ({@code /v1/sellers/{id}/orders}, {@code X-Api-Key}).</li>
 *   <li>{@link #COUPANG}: Coupang Wing's Open API ({@code /v2/providers/openapi/apis/api/v4/vendors/{vendorId}/…},
 *       HMAC-signed {@code Authorization: CEA …}).</li>
 *   <li>{@link #NAVER}: Naver Commerce ({@code /external/v1/oauth2/token} with a bcrypt signature, then
 *       {@code Authorization: Bearer} on {@code /external/v1/pay-order/seller/product-orders/…}).</li>
 *   <li>{@link #ELEVENST}: 11st's Open API ({@code /rest/ordservices/…}, every parameter a path segment, the seller's
 *       key in the {@code openapikey} header, EUC-KR XML answers, the throttle as code {@code 004} in HTTP 200).</li>
 *   <li>{@link #CAFE24}: the Cafe24 Admin API, one API per mall ({@code https://{mallId}.cafe24api.com/api/v2}) served
 *       under the market's path as {@code /{market}/{mallId}/api/v2/…}: the OAuth2 authorization-code flow with rotating
 *       refresh tokens, then {@code Authorization: Bearer} on {@code /admin/orders…}, and a leaky bucket per mall.</li>
 * </ul>
 *
 * What each verifies and where it differs from the market is in {@code docs/simulation.md}.
 */
public enum Protocol {
    REFERENCE,
    COUPANG,
    NAVER,
    ELEVENST,
    CAFE24
}
