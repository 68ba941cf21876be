package io.marketgate.market.cafe24;

import com.fasterxml.jackson.databind.JsonNode;
import io.marketgate.market.DataKind;
import io.marketgate.market.InquiryStatus;
import io.marketgate.market.MarketRecord;
import io.marketgate.market.ProductStatus;
import io.marketgate.market.RecordStatus;
import io.marketgate.market.ReviewStatus;
import io.marketgate.market.SettlementStatus;
import io.marketgate.market.TimeWindow;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cafe24's answers of the kinds other than orders, read into {@link MarketRecord}s: board articles (Q&amp;A, reviews),
 * products and daily sales. Each method throws {@link IllegalArgumentException} naming the part of the answer that is
 * not Cafe24's protocol; the adapter turns it into a final outcome with an excerpt.
 */
final class Cafe24Records {

    /** An inquiry's or review's id: {@code {board_no}-{article_no}}, both Cafe24 numbers. */
    static final Pattern ARTICLE_ID = Pattern.compile("([1-9][0-9]{0,9})-([1-9][0-9]{0,9})");
    /** A product's id: its {@code product_no}. */
    static final Pattern PRODUCT_NO = Pattern.compile("[1-9][0-9]{0,9}");

    private Cafe24Records() {}

    /** The board and article numbers of an article id ({@code 6-1203}); throws naming {@code field} otherwise. */
    static long[] article(String field, String id) {
        Matcher m = id == null ? null : ARTICLE_ID.matcher(id);
        if (m == null || !m.matches() || Long.parseLong(m.group(1)) > Integer.MAX_VALUE
                || Long.parseLong(m.group(2)) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(field + " '" + id + "' must be a Cafe24 article id {board_no}-{article_no}, "
                    + "such as 6-1203 (both 1 to 2147483647), as the collected record names it");
        }
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
    }

    /** A product number; throws naming {@code productId} otherwise. */
    static long product(String id) {
        if (id == null || !PRODUCT_NO.matcher(id).matches() || Long.parseLong(id) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("productId '" + id + "' must be a Cafe24 product_no, 1 to 2147483647");
        }
        return Long.parseLong(id);
    }

    /** The {@code articles} of a board's page, raw. */
    static JsonNode articles(JsonNode body) {
        JsonNode list = body == null ? null : body.get("articles");
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException("articles is missing or not a list");
        }
        return list;
    }

    /**
     * The records of a board's page: every article that is not a reply ({@code reply_depth} 0) created within
     * {@code window}, as an inquiry or a review of {@code board}; a reply on the same page fills its parent's answer.
     * Articles not yet registered ({@code deleted: B}) are left out, as are deleted Q&amp;A articles (an inquiry has no
     * deleted state).
     */
    static List<MarketRecord> boardRecords(DataKind kind, long board, JsonNode articles, TimeWindow window) {
        Map<Long, String> replies = new HashMap<>();
        for (JsonNode a : articles) {
            if (a.path("reply_depth").asInt(0) > 0 && !"T".equals(a.path("deleted").asText("F"))) {
                replies.putIfAbsent(a.path("parent_article_no").asLong(), a.path("content").asText(""));
            }
        }
        List<MarketRecord> out = new ArrayList<>();
        for (int i = 0; i < articles.size(); i++) {
            JsonNode a = articles.get(i);
            String where = "articles[" + i + "]";
            if (!a.isObject()) {
                throw new IllegalArgumentException(where + " is not an object");
            }
            if (a.path("reply_depth").asInt(0) > 0) {
                continue;
            }
            long articleNo = a.path("article_no").asLong(0);
            if (articleNo < 1) {
                throw new IllegalArgumentException(where + ".article_no is missing or not a number");
            }
            if (a.has("board_no") && a.path("board_no").asLong() != board) {
                throw new IllegalArgumentException(where + ".board_no " + a.get("board_no") + " is not the board listed (" + board + ")");
            }
            Instant created = time(a, "created_date", where);
            if (created.isBefore(window.from()) || !created.isBefore(window.to())) {
                continue; // the day's other articles: another window's
            }
            String deleted = a.path("deleted").asText("F");
            String replyStatus = a.path("reply_status").asText("N");
            String reply = replies.get(articleNo);
            String id = board + "-" + articleNo;
            Map<String, String> fields = new LinkedHashMap<>();
            RecordStatus common;
            String status;
            if (kind == DataKind.INQUIRIES) {
                if (!deleted.equals("F")) {
                    continue;
                }
                status = replyStatus;
                common = replyStatus.equals("C") || reply != null ? InquiryStatus.ANSWERED : InquiryStatus.UNANSWERED;
                fields.put("title", text(a, "title"));
                fields.put("question", text(a, "content"));
                fields.put("answer", reply);
                fields.put("orderId", text(a, "order_id"));
                fields.put("askedAt", created.toString());
            } else {
                if (deleted.equals("B")) {
                    continue;
                }
                status = deleted.equals("T") ? "deleted" : replyStatus;
                common = deleted.equals("T") ? ReviewStatus.DELETED
                        : replyStatus.equals("C") || reply != null ? ReviewStatus.REPLIED : ReviewStatus.UNREPLIED;
                fields.put("rating", a.path("rating").asInt(0) > 0 ? Integer.toString(a.path("rating").asInt()) : null);
                fields.put("content", text(a, "content"));
                fields.put("reply", reply);
                fields.put("writtenAt", created.toString());
            }
            long productNo = a.path("product_no").asLong(0);
            fields.put("productId", productNo > 0 ? Long.toString(productNo) : null);
            out.add(new MarketRecord(kind, id, status, common, created, fields, a.toString()));
        }
        return out;
    }

    /** The {@code products} of a page, raw. */
    static JsonNode products(JsonNode body) {
        JsonNode list = body == null ? null : body.get("products");
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException("products is missing or not a list");
        }
        return list;
    }

    /**
     * The records of a products page: {@code selling} F or {@code display} F is SUSPENDED (nobody can buy it),
     * {@code sold_out} T is SOLD_OUT, else ON_SALE; the market's status is {@code selling/display/sold_out}
     * ({@code T/T/F}); dated by {@code updated_date}.
     */
    static List<MarketRecord> productRecords(JsonNode products) {
        List<MarketRecord> out = new ArrayList<>();
        for (int i = 0; i < products.size(); i++) {
            JsonNode p = products.get(i);
            String where = "products[" + i + "]";
            long no = p.path("product_no").asLong(0);
            if (no < 1) {
                throw new IllegalArgumentException(where + ".product_no is missing or not a number");
            }
            String selling = p.path("selling").asText("");
            String display = p.path("display").asText("");
            String soldOut = p.path("sold_out").asText("F");
            if (!selling.matches("[TF]") || !display.matches("[TF]")) {
                throw new IllegalArgumentException(where + ".selling and .display must be T or F");
            }
            ProductStatus common = selling.equals("F") || display.equals("F") ? ProductStatus.SUSPENDED
                    : soldOut.equals("T") ? ProductStatus.SOLD_OUT : ProductStatus.ON_SALE;
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("name", text(p, "product_name"));
            fields.put("price", won(p.get("price"), where + ".price"));
            out.add(new MarketRecord(DataKind.PRODUCTS, Long.toString(no), selling + "/" + display + "/" + soldOut, common,
                    time(p, p.hasNonNull("updated_date") ? "updated_date" : "created_date", where), fields, p.toString()));
        }
        return out;
    }

    /**
     * The records of a daily-sales answer: one per day (id {@code yyyy-MM-dd}), the day's payments less its refunds,
     * SETTLED for a day before {@code today} (KST) and SCHEDULED for today's, whose sales still grow.
     */
    static List<MarketRecord> dailySales(JsonNode body, LocalDate today) {
        JsonNode list = body == null ? null : body.get("dailysales");
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException("dailysales is missing or not a list");
        }
        List<MarketRecord> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode d = list.get(i);
            String where = "dailysales[" + i + "]";
            LocalDate date;
            try {
                date = LocalDate.parse(d.path("date").asText(""));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(where + ".date must be a date yyyy-MM-dd");
            }
            BigDecimal paid = amount(d.get("payment_amount"), where + ".payment_amount");
            BigDecimal refunded = d.hasNonNull("refund_amount") ? amount(d.get("refund_amount"), where + ".refund_amount")
                    : BigDecimal.ZERO;
            boolean closed = date.isBefore(today);
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("amount", paid.subtract(refunded).stripTrailingZeros().toPlainString());
            fields.put("settleDate", date.toString());
            out.add(new MarketRecord(DataKind.SETTLEMENTS, date.toString(), closed ? "closed" : "open",
                    closed ? SettlementStatus.SETTLED : SettlementStatus.SCHEDULED, date.atStartOfDay(Cafe24Adapter.KST).toInstant(),
                    fields, d.toString()));
        }
        return out;
    }

    /** A price as won without decimals when it has none ({@code "11000.00"} → {@code 11000}). */
    static String won(JsonNode value, String where) {
        return value == null || value.isNull() ? null : amount(value, where).stripTrailingZeros().toPlainString();
    }

    private static BigDecimal amount(JsonNode value, String where) {
        try {
            return new BigDecimal(value == null ? "" : value.asText(""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + " must be an amount such as 150000.00");
        }
    }

    private static Instant time(JsonNode node, String field, String where) {
        try {
            return OffsetDateTime.parse(node.path(field).asText("")).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(where + "." + field + " must be an ISO-8601 date-time with offset");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }

    /** The first article of a single-article answer whose number is {@code articleNo}, if any. */
    static Optional<JsonNode> find(JsonNode articles, long articleNo) {
        for (JsonNode a : articles) {
            if (a.path("article_no").asLong() == articleNo) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
