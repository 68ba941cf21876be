package io.marketgate.handlers.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketgate.handlers.sqs.Messages;
import java.util.Objects;

/**
 * An RFC 9457 problem document ({@code application/problem+json}): what every rejected request gets, naming the field
 * and the rule it breaks, so that a client can show the error next to the right input.
 *
 * <pre>{@code
 * {"type":"https://marketgate.io/problems/invalid-field","title":"Unprocessable Content","status":422,
 *  "detail":"to: must not be in the future, was 2030-01-01T00:00:00Z","field":"to","rule":"not-in-future"}
 * }</pre>
 *
 * @param status the HTTP status (4xx or 5xx)
 * @param field the request field at fault ({@code body}, {@code sellers[2]}, {@code path}, a header name), or null
 * @param rule a short, stable name of the rule broken ({@code required}, {@code type}, {@code unknown-field}, …)
 * <p>A request with several bad fields gets one document that lists each in {@code errors} (the first is also the
 * document's own {@code field} and {@code rule}, the detail joins theirs; the status is 400 when any of them is, else 422):
 *
 * <pre>{@code
 * {"type":"https://marketgate.io/problems/not-blank","title":"Bad Request","status":400,
 *  "detail":"text: must not be blank; price: must be above zero, was -5","field":"text",
 *  "rule":"not-blank","errors":[{"field":"text","rule":"not-blank","status":400,"detail":"text: must not be blank"},
 *  {"field":"price","rule":"min","status":422,"detail":"price: must be above zero, was -5"}]}
 * }</pre>
 *
 * @param detail a sentence for people, naming the field and the rule
 * @param errors when several fields are at fault, each one's problem (the document lists them in {@code errors})
 */
public record Problem(int status, String field, String rule, String detail, java.util.List<Problem> errors) {

    /** The media type of problem documents. */
    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://marketgate.io/problems/";

    public Problem {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a problem's status is 4xx or 5xx, was " + status);
        }
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(detail, "detail");
        errors = errors == null ? java.util.List.of() : java.util.List.copyOf(errors);
    }

    public Problem(int status, String field, String rule, String detail) {
        this(status, field, rule, detail, java.util.List.of());
    }

    /**
     * One problem for all of {@code problems} (at least one), each listed in {@code errors}: the first one's field and
     * rule, status 400 when any is 400 (the request cannot be read as it is), else the first one's status.
     */
    public static Problem of(java.util.List<Problem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("no problem to report");
        }
        Problem first = problems.get(0);
        int status = problems.stream().anyMatch(p -> p.status() == 400) ? 400 : first.status();
        String detail = String.join("; ", problems.stream().map(Problem::detail).toList());
        return new Problem(status, first.field(), first.rule(), detail, problems);
    }

    /** 400: the request cannot be read as it is (syntax, types, unknown fields, a missing field). */
    public static Problem badRequest(String field, String rule, String detail) {
        return new Problem(400, field, rule, detail);
    }

    /** 422: the request is well formed but breaks a rule of the environment (unknown market, range too long, …). */
    public static Problem unprocessable(String field, String rule, String detail) {
        return new Problem(422, field, rule, detail);
    }

    /** 404: nothing at this path, or no such resource. */
    public static Problem notFound(String field, String detail) {
        return new Problem(404, field, "not-found", detail);
    }

    /** The exception that carries this problem up to {@link ApiService}. */
    public ProblemException exception() {
        return new ProblemException(this);
    }

    /** The document's title: the status's reason phrase. */
    public String title() {
        return switch (status) {
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Content";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Client Error";
        };
    }

    /** The JSON document. */
    public String toJson() {
        ObjectNode doc = Messages.json().createObjectNode()
                .put("type", TYPE_BASE + rule)
                .put("title", title())
                .put("status", status)
                .put("detail", detail);
        if (field != null) {
            doc.put("field", field);
        }
        doc.put("rule", rule);
        if (!errors.isEmpty()) {
            com.fasterxml.jackson.databind.node.ArrayNode list = doc.putArray("errors");
            for (Problem e : errors) {
                ObjectNode item = list.addObject();
                if (e.field() != null) {
                    item.put("field", e.field());
                }
                item.put("rule", e.rule()).put("status", e.status()).put("detail", e.detail());
            }
        }
        return doc.toString();
    }

    /** Thrown wherever a request is found at fault; {@link ApiService} answers it as the problem document. */
    public static final class ProblemException extends RuntimeException {
        private final Problem problem;

        ProblemException(Problem problem) {
            super(problem.detail(), null, false, false);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }
}
