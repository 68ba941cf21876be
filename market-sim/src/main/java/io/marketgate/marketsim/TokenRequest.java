package io.marketgate.marketsim;

import java.time.Instant;
import java.util.List;

/**
 * One request to Naver's token endpoint from a known application, whatever the answer.
 *
 * @param sellerId    the seller the token would be for (the app's seller, or the account's for {@code SELLER}),
 *                    or null when the request named no known account
 * @param status      the HTTP status answered (429 when the token endpoint's own bucket refused it)
 * @param issued      whether a new token was issued (false when the current one was served again, or on an error)
 * @param nonStandard why the request was non-standard (query-string parameters, a non-form body, no
 *                    {@code grant_type}, {@code account_id} with {@code SELF}); empty when it was standard
 */
public record TokenRequest(Instant at, String clientId, String sellerId, String type, String accountId, int status,
        boolean issued, List<String> nonStandard) {

    public TokenRequest {
        nonStandard = List.copyOf(nonStandard);
    }
}
