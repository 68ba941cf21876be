package io.marketgate.marketsim;

import java.util.Map;

/**
 * What a simulated market issued to one seller, generated deterministically from the market's seed. These are the
 * simulator's own test credentials; {@code toString()} still masks the secrets, so they never reach a log by accident.
 */
public sealed interface SellerCredentials permits ReferenceCredentials, CoupangCredentials, NaverCredentials,
        ElevenStCredentials, Cafe24Credentials {

    /** The seller's id in the simulator ({@link SimulatedMarket#orders} and {@link Shipment#sellerId()} use it). */
    String sellerId();

    /** Every field by the name a market's developer console shows it, secrets included (for the market-sim command). */
    Map<String, String> fields();

    /** {@code abcd…} of a secret: enough to tell two apart in a log, too little to use. */
    static String mask(String secret) {
        return secret == null ? "null" : secret.substring(0, Math.min(4, secret.length())) + "…";
    }
}
