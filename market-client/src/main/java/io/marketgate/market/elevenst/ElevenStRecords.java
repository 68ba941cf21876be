package io.marketgate.market.elevenst;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketgate.market.ClaimStatus;
import io.marketgate.market.DataKind;
import io.marketgate.market.InquiryStatus;
import io.marketgate.market.MarketRecord;
import io.marketgate.market.SettlementStatus;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * 11st's records of the kinds other than orders, read from its list answers (claims, product Q&amp;A, settlements), and
 * the ids that name them to an action. What each field means, and where it comes from, is in the
 * {@linkplain io.marketgate.market.elevenst package documentation}.
 */
final class ElevenStRecords {

    /** The claim lists a claims collection walks per window, in this order; the cursor names the list. */
    static final List<String> CLAIM_LISTS = List.of("cancelorders", "returnorders", "exchangeorders");

    /**
     * The claim states of the return and exchange lists ({@code clmStat} [D apiSeq 1643, 1648]) onto the common status.
     * A return's approval ({@code returnreqconf}) completes it (106); 104 and 109 are holds, 103 a re-payment pending.
     */
    static final Map<String, ClaimStatus> CLAIM_STATES = claimStates();

    /** The states of the cancel list ({@code ordCnStatCd} [D apiSeq 1639]): 01 requested, 02 cancelled. */
    static final Map<String, ClaimStatus> CANCEL_STATES = Map.of("01", ClaimStatus.REQUESTED, "02", ClaimStatus.COMPLETED);

    private static final Pattern INQUIRY_ID = Pattern.compile("([0-9]{1,20})-([0-9]{1,20})");
    private static final Pattern CLAIM_ID = Pattern.compile("(cancel|return|exchange)-([0-9]{1,20})-([0-9]{1,20})-([0-9]{1,6})");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,20}");
    /** {@code 2010-01-19 13:50:05}, the Q&amp;A list's with a fraction ({@code 2010-01-19 12:47:02.0}). */
    private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder().appendPattern("uuuu-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter().withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuuMMdd").withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter SLASHED_DAY = DateTimeFormatter.ofPattern("uuuu/MM/dd").withResolverStyle(ResolverStyle.STRICT);

    private ElevenStRecords() {}

    // ---- ids

    /** A Q&amp;A's id, {@code brdInfoNo-prdNo}: the two numbers {@code prodqnaanswer} takes. */
    record InquiryId(String brdInfoNo, String prdNo) {
        static InquiryId parse(String id) {
            Matcher m = id == null ? null : INQUIRY_ID.matcher(id);
            if (m == null || !m.matches()) {
                throw new IllegalArgumentException("inquiryId '" + id + "' must be an 11st product Q&A: brdInfoNo-prdNo, digits"
                        + " each, such as 4881274-48073872");
            }
            return new InquiryId(m.group(1), m.group(2));
        }

        @Override
        public String toString() {
            return brdInfoNo + "-" + prdNo;
        }
    }

    /**
     * A claim's id, {@code type-seq-ordNo-ordPrdSeq}: its list ({@code cancel}, {@code return}, {@code exchange}), its
     * claim number ({@code ordPrdCnSeq} of a cancellation, {@code clmReqSeq} of a return or exchange) and the order line,
     * the numbers 11st's confirm and reject calls take.
     */
    record ClaimId(String type, String seq, String ordNo, String ordPrdSeq) {
        static ClaimId parse(String id) {
            Matcher m = id == null ? null : CLAIM_ID.matcher(id);
            if (m == null || !m.matches()) {
                throw new IllegalArgumentException("claimId '" + id + "' must be an 11st claim: cancel|return|exchange-"
                        + "claimNo-ordNo-ordPrdSeq, such as return-2400330-201001068151292-1");
            }
            return new ClaimId(m.group(1), m.group(2), m.group(3), m.group(4));
        }

        /** The common claim type: CANCEL, RETURN, EXCHANGE. */
        String claimType() {
            return type.toUpperCase(java.util.Locale.ROOT);
        }

        @Override
        public String toString() {
            return type + "-" + seq + "-" + ordNo + "-" + ordPrdSeq;
        }
    }

    // ---- lists

    /** The claim list {@code list}'s {@code <order>} elements as claims. */
    static List<MarketRecord> claims(String list, List<JsonNode> elements) throws Malformed {
        List<MarketRecord> out = new ArrayList<>(elements.size());
        for (int i = 0; i < elements.size(); i++) {
            out.add(claim(list, element(elements.get(i), "order[" + i + "]"), "order[" + i + "]"));
        }
        return out;
    }

    private static MarketRecord claim(String list, ObjectNode line, String where) throws Malformed {
        boolean cancel = list.equals("cancelorders");
        String type = list.substring(0, list.length() - "orders".length());
        String seq = digits(line, cancel ? "ordPrdCnSeq" : "clmReqSeq", where);
        String ordNo = digits(line, "ordNo", where);
        String ordPrdSeq = digits(line, "ordPrdSeq", where);
        String stateField = cancel ? "ordCnStatCd" : "clmStat";
        String state = line.path(stateField).asText("");
        Map<String, ClaimStatus> states = cancel ? CANCEL_STATES : CLAIM_STATES;
        ClaimStatus common = states.get(state);
        if (common == null) {
            throw new Malformed(where + "." + stateField + " must be one of 11st's claim states " + states.keySet() + ", was "
                    + describe(line.get(stateField)));
        }
        String timeField = cancel ? "createDt" : "reqDt";
        Instant requested = time(line, timeField, where);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("claimType", type.toUpperCase(java.util.Locale.ROOT));
        fields.put("orderId", ordNo);
        fields.put("reason", text(line, cancel ? "ordCnDtlsRsn" : "clmReqCont"));
        fields.put("requestedAt", requested.toString());
        return new MarketRecord(DataKind.CLAIMS, new ClaimId(type, seq, ordNo, ordPrdSeq).toString(), state, common, requested,
                fields, line.toString());
    }

    /** The Q&amp;A list's {@code <productQna>} elements as inquiries. */
    static List<MarketRecord> inquiries(List<JsonNode> elements) throws Malformed {
        List<MarketRecord> out = new ArrayList<>(elements.size());
        for (int i = 0; i < elements.size(); i++) {
            String where = "productQna[" + i + "]";
            ObjectNode qna = element(elements.get(i), where);
            String brdInfoNo = digits(qna, "brdInfoNo", where);
            String prdNo = digits(qna, "brdInfoClfNo", where);
            String answered = qna.path("answerYn").asText("");
            InquiryStatus common = switch (answered) {
                case "Y" -> InquiryStatus.ANSWERED;
                case "N" -> InquiryStatus.UNANSWERED;
                default -> throw new Malformed(where + ".answerYn must be Y or N, was " + describe(qna.get("answerYn")));
            };
            Instant asked = time(qna, "createDt", where);
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("title", text(qna, "brdInfoSbjct"));
            fields.put("question", text(qna, "brdInfoCont"));
            fields.put("answer", common == InquiryStatus.ANSWERED ? text(qna, "answerCont") : null);
            fields.put("productId", prdNo);
            fields.put("orderId", text(qna, "ordNoDe"));
            fields.put("askedAt", asked.toString());
            out.add(new MarketRecord(DataKind.INQUIRIES, new InquiryId(brdInfoNo, prdNo).toString(), answered, common, asked,
                    fields, qna.toString()));
        }
        return out;
    }

    /**
     * The settlement rows as settlements: SETTLED once the day of remittance ({@code stlPlnDy}) has come in Korea at
     * {@code today}, SCHEDULED before; dated by the purchase confirmation ({@code pocnfrmDt}).
     */
    static List<MarketRecord> settlements(List<JsonNode> elements, LocalDate today) throws Malformed {
        List<MarketRecord> out = new ArrayList<>(elements.size());
        for (int i = 0; i < elements.size(); i++) {
            String where = "seStlDtlList[" + i + "]";
            ObjectNode row = element(elements.get(i), where);
            String ordNo = digits(row, "ordNo", where);
            String ordPrdSeq = digits(row, "ordPrdSeq", where);
            String claim = text(row, "clmReqSeq");
            if (claim != null && !claim.equals("0") && !DIGITS.matcher(claim).matches()) {
                throw new Malformed(where + ".clmReqSeq must be digits when present, was " + describe(row.get("clmReqSeq")));
            }
            String id = ordNo + "-" + ordPrdSeq + (claim == null || claim.equals("0") ? "" : "-" + claim);
            LocalDate confirmed = day(row, "pocnfrmDt", DAY, where);
            if (confirmed == null) {
                throw new Malformed(where + " has no pocnfrmDt (its purchase confirmation day, yyyyMMdd)");
            }
            LocalDate remitted = day(row, "stlPlnDy", SLASHED_DAY, where);
            LocalDate settled = day(row, "stlDy", SLASHED_DAY, where);
            SettlementStatus common = remitted != null && !remitted.isAfter(today) ? SettlementStatus.SETTLED : SettlementStatus.SCHEDULED;
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("amount", text(row, "stlAmt"));
            fields.put("settleDate", settled == null ? null : settled.toString());
            fields.put("orderId", ordNo);
            out.add(new MarketRecord(DataKind.SETTLEMENTS, id, common.name(), common,
                    confirmed.atStartOfDay(ElevenStAdapter.KST).toInstant(), fields, row.toString()));
        }
        return out;
    }

    // ---- fields

    private static ObjectNode element(JsonNode element, String where) throws Malformed {
        if (element == null || !element.isObject()) {
            throw new Malformed(where + " must be an element with children, was " + describe(element));
        }
        return ElevenStAnswer.flat(element);
    }

    private static String digits(ObjectNode row, String field, String where) throws Malformed {
        String text = row.path(field).asText("");
        if (!DIGITS.matcher(text).matches()) {
            throw new Malformed(where + "." + field + " must be 1 to 20 digits, was " + describe(row.get(field)));
        }
        return text;
    }

    /** The field's text; null when absent, empty or 11st's {@code null}. */
    private static String text(ObjectNode row, String field) {
        JsonNode value = row.get(field);
        if (value == null || !value.isValueNode()) {
            return null;
        }
        String text = value.asText().strip();
        return text.isEmpty() || text.equals("null") ? null : text;
    }

    private static Instant time(ObjectNode row, String field, String where) throws Malformed {
        String text = text(row, field);
        if (text == null) {
            throw new Malformed(where + " has no " + field);
        }
        try {
            return LocalDateTime.parse(text, TIME).atZone(ElevenStAdapter.KST).toInstant();
        } catch (DateTimeParseException e) {
            throw new Malformed(where + "." + field + " must be yyyy-MM-dd HH:mm:ss (Korean time), was " + describe(row.get(field)));
        }
    }

    private static LocalDate day(ObjectNode row, String field, DateTimeFormatter format, String where) throws Malformed {
        String text = text(row, field);
        if (text == null) {
            return null;
        }
        try {
            return LocalDate.parse(text, format);
        } catch (DateTimeParseException e) {
            throw new Malformed(where + "." + field + " must be a day as 11st writes it there ("
                    + (format == DAY ? "yyyyMMdd" : "yyyy/MM/dd") + "), was " + describe(row.get(field)));
        }
    }

    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "absent";
        }
        String text = node.isValueNode() ? "'" + node.asText() + "'" : node.toString();
        return text.length() > 60 ? text.substring(0, 60) + "…" : text;
    }

    private static Map<String, ClaimStatus> claimStates() {
        Map<String, ClaimStatus> m = new LinkedHashMap<>();
        m.put("103", ClaimStatus.IN_PROGRESS);   // 재결제대기중: waiting for the buyer's extra payment
        m.put("104", ClaimStatus.IN_PROGRESS);   // 반품보류: return on hold
        m.put("105", ClaimStatus.REQUESTED);     // 반품신청
        m.put("106", ClaimStatus.COMPLETED);     // 반품완료
        m.put("107", ClaimStatus.REJECTED);      // 반품거부
        m.put("108", ClaimStatus.WITHDRAWN);     // 반품철회
        m.put("109", ClaimStatus.IN_PROGRESS);   // 반품완료보류: completion on hold
        m.put("201", ClaimStatus.REQUESTED);     // 교환신청
        m.put("212", ClaimStatus.IN_PROGRESS);   // 교환승인
        m.put("214", ClaimStatus.IN_PROGRESS);   // 교환보류
        m.put("221", ClaimStatus.COMPLETED);     // 교환발송완료
        m.put("232", ClaimStatus.REJECTED);      // 교환거부
        m.put("233", ClaimStatus.WITHDRAWN);     // 교환철회
        m.put("301", ClaimStatus.IN_PROGRESS);   // 재배송접수
        m.put("302", ClaimStatus.COMPLETED);     // 재배송완료
        return Collections.unmodifiableMap(m);
    }

    /** A body that is not the protocol's; its message names the field and what was wrong. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }
}
