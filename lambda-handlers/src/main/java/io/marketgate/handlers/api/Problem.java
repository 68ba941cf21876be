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
 * @param detail a sentence for people, naming the field and the rule
 */
public record Problem(int status, String field, String rule, String detail) {

    /** The media type of problem documents. */
    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://marketgate.io/problems/";

    public Problem {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a problem's status is 4xx or 5xx, was " + status);
        }
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(detail, "detail");
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
