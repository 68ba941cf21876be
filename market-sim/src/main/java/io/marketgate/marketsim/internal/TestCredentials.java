package io.marketgate.marketsim.internal;

import at.favre.lib.crypto.bcrypt.Radix64Encoder;
import io.marketgate.marketsim.Cafe24Credentials;
import io.marketgate.marketsim.CoupangCredentials;
import io.marketgate.marketsim.ElevenStCredentials;
import io.marketgate.marketsim.MarketConfig;
import io.marketgate.marketsim.NaverApps;
import io.marketgate.marketsim.NaverCredentials;
import io.marketgate.marketsim.ReferenceCredentials;
import io.marketgate.marketsim.SellerCredentials;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The credentials a simulated market issues, one set per seller, drawn from the market's seed so that a run and its
 * rerun see the same ones. Sellers are taken in sort order; ids that would collide are drawn again.
 */
final class TestCredentials {

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private TestCredentials() {}

    /** The credentials of {@code config}'s sellers; Cafe24's connections are issued at {@code issuedAt}. */
    static List<SellerCredentials> of(MarketConfig config, Instant issuedAt) {
        List<String> sellers = config.sellers().stream().sorted().toList();
        List<SellerCredentials> out = new ArrayList<>();
        Set<String> used = new HashSet<>();
        switch (config.protocol()) {
            case REFERENCE -> {
                String key = config.apiKeys().stream().sorted().findFirst().orElseThrow();
                sellers.forEach(s -> out.add(new ReferenceCredentials(s, key)));
            }
            case COUPANG -> {
                for (String seller : sellers) {
                    SplittableRandom r = random(config, "coupang/" + seller);
                    String vendorId;
                    do {
                        vendorId = "A" + String.format("%08d", r.nextInt(100_000_000));
                    } while (!used.add(vendorId));
                    out.add(new CoupangCredentials(seller, vendorId, new UUID(version4(r.nextLong()), variant(r.nextLong())).toString(),
                            HexFormat.of().formatHex(bytes(r, 20))));
                }
            }
            case NAVER -> {
                if (config.naverApps() == NaverApps.SOLUTION) {
                    SplittableRandom app = random(config, "naver/solution-app");
                    String clientId = base62(app, 22);
                    String secret = clientSecret(app);
                    for (String seller : sellers) {
                        SplittableRandom r = random(config, "naver/account/" + seller);
                        String account;
                        do {
                            account = "ncp_" + base62(r, 21);
                        } while (!used.add(account));
                        out.add(new NaverCredentials(seller, clientId, secret, "SELLER", account));
                    }
                } else {
                    for (String seller : sellers) {
                        SplittableRandom r = random(config, "naver/app/" + seller);
                        String clientId;
                        do {
                            clientId = base62(r, 22);
                        } while (!used.add(clientId));
                        out.add(new NaverCredentials(seller, clientId, clientSecret(r), "SELF", null));
                    }
                }
            }
            case ELEVENST -> {
                for (String seller : sellers) {
                    SplittableRandom r = random(config, "11st/" + seller);
                    String key;
                    do {
                        key = HexFormat.of().formatHex(bytes(r, 16));
                    } while (!used.add(key));
                    out.add(new ElevenStCredentials(seller, key));
                }
            }
            case CAFE24 -> {
                // one app of the platform, installed on every mall of the market
                SplittableRandom app = random(config, "cafe24/app");
                String clientId = base62(app, 22);
                String clientSecret = base62(app, 22);
                for (String seller : sellers) {
                    SplittableRandom r = random(config, "cafe24/mall/" + seller);
                    String mallId;
                    do {
                        mallId = "m" + base36(r, 7);
                    } while (!used.add(mallId));
                    out.add(new Cafe24Credentials(seller, mallId, clientId, clientSecret, base62(r, 22),
                            issuedAt.plus(Cafe24Protocol.ACCESS_LIFETIME), base62(r, 22), issuedAt.plus(Cafe24Protocol.REFRESH_LIFETIME)));
                }
            }
            default -> throw new IllegalStateException("no credentials for " + config.protocol());
        }
        return List.copyOf(out);
    }

    /** A bcrypt salt as Naver issues client secrets: {@code $2a$10$} and 22 characters of bcrypt's alphabet. */
    private static String clientSecret(SplittableRandom r) {
        byte[] encoded = new Radix64Encoder.Default().encode(bytes(r, 16));
        return "$2a$10$" + new String(encoded, StandardCharsets.US_ASCII);
    }

    private static SplittableRandom random(MarketConfig config, String what) {
        return new SplittableRandom(OrderBook.mix(config.seed() ^ OrderBook.mix(OrderBook.fnv64(config.name() + "/" + what))));
    }

    private static byte[] bytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    private static String base36(SplittableRandom r, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(Character.forDigit(r.nextInt(36), 36));
        }
        return sb.toString();
    }

    private static String base62(SplittableRandom r, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(BASE62.charAt(r.nextInt(BASE62.length())));
        }
        return sb.toString();
    }

    private static long version4(long bits) {
        return (bits & ~0xF000L) | 0x4000L;
    }

    private static long variant(long bits) {
        return (bits & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    }
}
