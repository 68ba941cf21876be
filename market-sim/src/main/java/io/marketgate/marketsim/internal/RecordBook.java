package io.marketgate.marketsim.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A simulated market's records of every kind other than orders (claims, inquiries, reviews, products, settlements), in a
 * protocol-neutral form that each protocol renders in its market's shapes and ids, and the state its actions change.
 *
 * <p>Records are deterministic like {@link OrderBook}'s orders: each (seed, market, seller, kind, day) draws its own
 * from a generator seeded by their hash, so any range, page or chunking sees the same records with the same ids. An id is
 * numeric, {@code K SSSSS DDDDD III} (14 digits): the kind's digit ({@link Kind#digit}), the seller's tag, the epoch day
 * and the index within the day; a protocol may render it otherwise and parse it back with {@link #find}.
 *
 * <p>Actions change a record's state in memory ({@link #answer}, {@link #reply}, {@link #decideClaim},
 * {@link #changeProduct}). Each application that changes something is counted, and one that repeats an effect already
 * there is counted apart ({@link #repeats()}): a client that acts twice on a redelivery shows up in the figures. What a
 * market refuses for good (answered already with another text, a deleted review, a withdrawn claim, an ended product)
 * is {@link Applied#REFUSED} with the reason.
 */
public final class RecordBook {

    /** The kinds this book keeps, with the digit their ids start with and how many a seller has per day by default. */
    public enum Kind {
        CLAIMS('5', 2), INQUIRIES('6', 4), REVIEWS('7', 4), PRODUCTS('8', 3), SETTLEMENTS('9', 1);

        final char digit;
        final int perDay;

        Kind(char digit, int perDay) {
            this.digit = digit;
            this.perDay = perDay;
        }
    }

    /**
     * One record as the market holds it now.
     *
     * @param state the protocol-neutral state: claims REQUESTED, IN_PROGRESS, COMPLETED, REJECTED, WITHDRAWN; inquiries
     *     UNANSWERED, ANSWERED; reviews UNREPLIED, REPLIED, DELETED; products ON_SALE, SOLD_OUT, SUSPENDED, ENDED;
     *     settlements SCHEDULED, SETTLED
     * @param attrs the record's content: claims {@code claimType} (CANCEL, RETURN, EXCHANGE), {@code orderId},
     *     {@code reason}; inquiries {@code title}, {@code question}, {@code answer}, {@code productId}; reviews
     *     {@code rating}, {@code content}, {@code reply}, {@code productId}; products {@code name}, {@code price},
     *     {@code stock}; settlements {@code amount}, {@code settleDate}
     * @param updatedAt when it was created or last changed by an action
     */
    public record SimRecord(Kind kind, String id, String sellerId, Instant createdAt, Instant updatedAt, String state,
            Map<String, String> attrs) {}

    /** What an action did. */
    public enum Applied {
        /** It changed the record. */
        DONE,
        /** Its effect was there already (the same answer, the same decision, the same price): nothing changed. */
        ALREADY,
        /** The market refuses it for good; {@link Outcome#reason()} says why. */
        REFUSED,
        /** No such record of the seller. */
        NOT_FOUND
    }

    /** An action's result and, for a refusal, the market's reason. */
    public record Outcome(Applied applied, String reason) {
        static Outcome of(Applied applied) {
            return new Outcome(applied, "");
        }
    }

    static final long DAY_MS = 86_400_000L;
    private static final List<Share> CLAIM_MIX = List.of(new Share("REQUESTED", 60), new Share("IN_PROGRESS", 10),
            new Share("COMPLETED", 15), new Share("REJECTED", 5), new Share("WITHDRAWN", 10));
    private static final List<Share> INQUIRY_MIX = List.of(new Share("UNANSWERED", 70), new Share("ANSWERED", 30));
    private static final List<Share> REVIEW_MIX = List.of(new Share("UNREPLIED", 70), new Share("REPLIED", 20),
            new Share("DELETED", 10));
    private static final List<Share> PRODUCT_MIX = List.of(new Share("ON_SALE", 70), new Share("SOLD_OUT", 10),
            new Share("SUSPENDED", 15), new Share("ENDED", 5));
    private static final List<Share> SETTLEMENT_MIX = List.of(new Share("SETTLED", 60), new Share("SCHEDULED", 40));
    private static final String[] CLAIM_TYPES = {"CANCEL", "RETURN", "EXCHANGE"};

    private record Share(String state, int percent) {}

    private final String market;
    private final long seed;
    private final Map<Kind, Integer> perDay;
    private final java.util.function.LongSupplier nowMillis;
    private final Map<String, SimRecord> changed = new ConcurrentHashMap<>();
    private final AtomicLong applications = new AtomicLong();
    private final AtomicLong repeats = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();

    /** Records at each kind's default rate ({@link Kind#perDay}), changed at {@code nowMillis}, the market's clock. */
    public RecordBook(String market, long seed, java.util.function.LongSupplier nowMillis) {
        this(market, seed, Map.of(), nowMillis);
    }

    /** With {@code perDay} records a seller has per day of the kinds it names (others at their default). */
    public RecordBook(String market, long seed, Map<Kind, Integer> perDay, java.util.function.LongSupplier nowMillis) {
        this.market = market;
        this.seed = seed;
        this.perDay = Map.copyOf(perDay);
        this.nowMillis = nowMillis;
    }

    /** Every record of {@code kind} of {@code seller} created in {@code [from, to)}, by creation time and id, as it is now. */
    public List<SimRecord> between(String seller, Kind kind, Instant from, Instant to) {
        List<SimRecord> out = new ArrayList<>();
        long firstDay = Math.floorDiv(from.toEpochMilli(), DAY_MS);
        long lastDay = Math.floorDiv(to.toEpochMilli() - 1, DAY_MS);
        for (long day = firstDay; day <= lastDay; day++) {
            for (SimRecord r : day(seller, kind, day)) {
                if (!r.createdAt().isBefore(from) && r.createdAt().isBefore(to) && r.createdAt().toEpochMilli() <= now()) {
                    out.add(current(r));
                }
            }
        }
        out.sort(Comparator.comparing(SimRecord::createdAt).thenComparing(SimRecord::id));
        return out;
    }

    /** Every record of {@code kind} of {@code seller} changed (created, or acted on) in {@code [from, to)}. */
    public List<SimRecord> changedBetween(String seller, Kind kind, Instant from, Instant to) {
        Map<String, SimRecord> out = new LinkedHashMap<>();
        for (SimRecord r : between(seller, kind, from, to)) {
            out.put(r.id(), r);
        }
        for (SimRecord r : changed.values()) {
            if (r.kind() == kind && r.sellerId().equals(seller) && !r.updatedAt().isBefore(from) && r.updatedAt().isBefore(to)) {
                out.put(r.id(), r);
            }
        }
        List<SimRecord> list = new ArrayList<>(out.values());
        list.sort(Comparator.comparing(SimRecord::updatedAt).thenComparing(SimRecord::id));
        return list;
    }

    /** The record of {@code seller} with this id, as it is now. */
    public Optional<SimRecord> find(String seller, String id) {
        if (id == null || id.length() != 14 || !id.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        Kind kind = null;
        for (Kind k : Kind.values()) {
            if (k.digit == id.charAt(0)) {
                kind = k;
            }
        }
        if (kind == null || !id.substring(1, 6).equals(tag(seller))) {
            return Optional.empty();
        }
        long day = Long.parseLong(id.substring(6, 11));
        for (SimRecord r : day(seller, kind, day)) {
            if (r.id().equals(id) && r.createdAt().toEpochMilli() <= now()) {
                return Optional.of(current(r));
            }
        }
        return Optional.empty();
    }

    /** Answers an inquiry: UNANSWERED → ANSWERED; the same answer again is ALREADY; another answer is REFUSED. */
    public synchronized Outcome answer(String seller, String inquiryId, String text) {
        return act(seller, inquiryId, Kind.INQUIRIES, r -> switch (r.state()) {
            case "UNANSWERED" -> change(r, "ANSWERED", "answer", text);
            case "ANSWERED" -> text.equals(r.attrs().get("answer")) ? Outcome.of(Applied.ALREADY)
                    : new Outcome(Applied.REFUSED, "the inquiry is answered already");
            default -> new Outcome(Applied.REFUSED, "the inquiry cannot be answered in state " + r.state());
        });
    }

    /** Replies to a review: UNREPLIED → REPLIED; the same reply again is ALREADY; a deleted review is REFUSED. */
    public synchronized Outcome reply(String seller, String reviewId, String text) {
        return act(seller, reviewId, Kind.REVIEWS, r -> switch (r.state()) {
            case "UNREPLIED" -> change(r, "REPLIED", "reply", text);
            case "REPLIED" -> text.equals(r.attrs().get("reply")) ? Outcome.of(Applied.ALREADY)
                    : new Outcome(Applied.REFUSED, "the review has a reply already");
            default -> new Outcome(Applied.REFUSED, "the review was deleted");
        });
    }

    /**
     * Confirms ({@code approve}) or rejects a claim: REQUESTED → IN_PROGRESS (approved) or REJECTED; the same decision
     * again is ALREADY; a withdrawn claim, or the other decision after one was taken, is REFUSED.
     */
    public synchronized Outcome decideClaim(String seller, String claimId, boolean approve, String reason) {
        return act(seller, claimId, Kind.CLAIMS, r -> switch (r.state()) {
            case "REQUESTED" -> approve ? change(r, "IN_PROGRESS", null, null) : change(r, "REJECTED", "reason", reason);
            case "IN_PROGRESS", "COMPLETED" -> approve ? Outcome.of(Applied.ALREADY)
                    : new Outcome(Applied.REFUSED, "the claim was approved already");
            case "REJECTED" -> approve ? new Outcome(Applied.REFUSED, "the claim was rejected already") : Outcome.of(Applied.ALREADY);
            default -> new Outcome(Applied.REFUSED, "the claim was withdrawn by the buyer");
        });
    }

    /**
     * Sets a product's {@code field} ({@code price}, {@code stock}, or {@code state} to ON_SALE or SUSPENDED); the value
     * it has already is ALREADY; an ended product is REFUSED.
     */
    public synchronized Outcome changeProduct(String seller, String productId, String field, String value) {
        return act(seller, productId, Kind.PRODUCTS, r -> {
            if (r.state().equals("ENDED")) {
                return new Outcome(Applied.REFUSED, "the product has ended and cannot be changed");
            }
            if (field.equals("state")) {
                return value.equals(r.state()) ? Outcome.of(Applied.ALREADY) : change(r, value, null, null);
            }
            if (value.equals(r.attrs().get(field))) {
                return Outcome.of(Applied.ALREADY);
            }
            String state = field.equals("stock") && !r.state().equals("SUSPENDED")
                    ? (value.equals("0") ? "SOLD_OUT" : "ON_SALE") : r.state();
            return change(r, state, field, value);
        });
    }

    /** Actions that changed a record. */
    public long applications() {
        return applications.get();
    }

    /** Actions that found their effect there already (a client acting twice shows here). */
    public long repeats() {
        return repeats.get();
    }

    /** Actions refused for good. */
    public long refusals() {
        return refusals.get();
    }

    private Outcome act(String seller, String id, Kind kind, java.util.function.Function<SimRecord, Outcome> action) {
        Optional<SimRecord> record = find(seller, id).filter(r -> r.kind() == kind);
        if (record.isEmpty()) {
            return Outcome.of(Applied.NOT_FOUND);
        }
        Outcome outcome = action.apply(record.get());
        switch (outcome.applied()) {
            case DONE -> applications.incrementAndGet();
            case ALREADY -> repeats.incrementAndGet();
            case REFUSED -> refusals.incrementAndGet();
            case NOT_FOUND -> { }
        }
        return outcome;
    }

    private Outcome change(SimRecord r, String state, String attr, String value) {
        Map<String, String> attrs = new LinkedHashMap<>(r.attrs());
        if (attr != null) {
            attrs.put(attr, value);
        }
        Instant now = Instant.ofEpochMilli(Math.max(now(), r.updatedAt().toEpochMilli() + 1));
        changed.put(r.id(), new SimRecord(r.kind(), r.id(), r.sellerId(), r.createdAt(), now, state, Map.copyOf(attrs)));
        return Outcome.of(Applied.DONE);
    }

    private SimRecord current(SimRecord generated) {
        return changed.getOrDefault(generated.id(), generated);
    }

    private long now() {
        long now = nowMillis.getAsLong();
        return now == 0 ? Long.MAX_VALUE : now;
    }

    private List<SimRecord> day(String seller, Kind kind, long day) {
        SplittableRandom random = new SplittableRandom(OrderBook.mix(seed ^ OrderBook.mix(OrderBook.fnv64(market + "/" + seller + "/"
                + kind)) ^ OrderBook.mix(day)));
        int count = perDay.getOrDefault(kind, kind.perDay);
        List<SimRecord> out = new ArrayList<>(count);
        String tag = tag(seller);
        for (int i = 0; i < count; i++) {
            Instant at = Instant.ofEpochMilli(day * DAY_MS + random.nextLong(DAY_MS));
            String id = kind.digit + tag + String.format("%05d%03d", day % 100_000, i);
            Map<String, String> attrs = new LinkedHashMap<>();
            String state = switch (kind) {
                case CLAIMS -> {
                    attrs.put("claimType", CLAIM_TYPES[random.nextInt(CLAIM_TYPES.length)]);
                    attrs.put("orderId", String.format("%d%05d%06d%03d", 3, Long.parseLong(tag), day % 1_000_000, i));
                    attrs.put("reason", "buyer's request " + i);
                    yield pick(CLAIM_MIX, random);
                }
                case INQUIRIES -> {
                    attrs.put("title", "Question " + i);
                    attrs.put("question", "Is item " + i + " in stock?");
                    attrs.put("productId", "8" + tag + String.format("%05d%03d", day % 100_000, 0));
                    String s = pick(INQUIRY_MIX, random);
                    if (s.equals("ANSWERED")) {
                        attrs.put("answer", "Yes.");
                    }
                    yield s;
                }
                case REVIEWS -> {
                    attrs.put("rating", Integer.toString(1 + random.nextInt(5)));
                    attrs.put("content", "Review " + i);
                    attrs.put("productId", "8" + tag + String.format("%05d%03d", day % 100_000, 0));
                    String s = pick(REVIEW_MIX, random);
                    if (s.equals("REPLIED")) {
                        attrs.put("reply", "Thank you.");
                    }
                    yield s;
                }
                case PRODUCTS -> {
                    attrs.put("name", "Product " + i);
                    attrs.put("price", Long.toString(1000L * (1 + random.nextInt(100))));
                    String s = pick(PRODUCT_MIX, random);
                    attrs.put("stock", s.equals("SOLD_OUT") ? "0" : Integer.toString(1 + random.nextInt(200)));
                    yield s;
                }
                case SETTLEMENTS -> {
                    attrs.put("amount", Long.toString(10_000L * (1 + random.nextInt(500))));
                    attrs.put("settleDate", java.time.LocalDate.ofEpochDay(day).toString());
                    yield pick(SETTLEMENT_MIX, random);
                }
            };
            out.add(new SimRecord(kind, id, seller, at, at, state, Map.copyOf(attrs)));
        }
        return out;
    }

    private static String pick(List<Share> mix, SplittableRandom random) {
        int p = random.nextInt(100);
        for (Share s : mix) {
            p -= s.percent();
            if (p < 0) {
                return s.state();
            }
        }
        return mix.get(mix.size() - 1).state();
    }

    private static String tag(String seller) {
        return String.format("%05d", OrderBook.fnv64(seller) & 0xffff);
    }
}
