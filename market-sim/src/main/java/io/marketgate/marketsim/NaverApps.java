package io.marketgate.marketsim;

/** How a simulated Naver market issues applications (client id and secret) to its sellers. */
public enum NaverApps {
    /** One application per seller, which asks for {@code type=SELF} tokens (an own-store developer). The default. */
    PER_SELLER,
    /** One shared "solution" application that asks for {@code type=SELLER} tokens with each seller's {@code account_id}. */
    SOLUTION
}
