package io.marketgate.handlers.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * An UpdateItem expression built from named parts, every attribute aliased (DynamoDB reserves hundreds of words,
 * among them status, from, to and count).
 *
 * <pre>{@code
 * Update.of().set("status", s("RUNNING")).add("attempts", n(1)).remove("reason").applyTo(request);
 * }</pre>
 */
public final class Update {
    private final List<String> sets = new ArrayList<>();
    private final List<String> adds = new ArrayList<>();
    private final List<String> removes = new ArrayList<>();
    private final Map<String, String> names = new HashMap<>();
    private final Map<String, AttributeValue> values = new HashMap<>();
    private String condition;

    private Update() {}

    public static Update of() {
        return new Update();
    }

    public Update set(String attribute, AttributeValue value) {
        sets.add(alias(attribute) + " = " + value(attribute, value));
        return this;
    }

    /** Sets {@code attribute} only when the item has none yet. */
    public Update setIfAbsent(String attribute, AttributeValue value) {
        String a = alias(attribute);
        sets.add(a + " = if_not_exists(" + a + ", " + value(attribute, value) + ")");
        return this;
    }

    /** Adds {@code value} to a number (0 when absent). */
    public Update add(String attribute, AttributeValue value) {
        adds.add(alias(attribute) + " " + value(attribute, value));
        return this;
    }

    public Update remove(String... attributes) {
        for (String attribute : attributes) {
            removes.add(alias(attribute));
        }
        return this;
    }

    /**
     * Makes the update conditional: {@code expression} names attributes as {@code #attribute} (each of
     * {@code attributes} is aliased so) and values as the keys of {@code conditionValues} ({@code :name}).
     */
    public Update when(String expression, Map<String, AttributeValue> conditionValues, String... attributes) {
        for (String attribute : attributes) {
            alias(attribute);
        }
        values.putAll(conditionValues);
        this.condition = expression;
        return this;
    }

    /** {@code request} with this update's expression, names and values. */
    public UpdateItemRequest.Builder applyTo(UpdateItemRequest.Builder request) {
        StringBuilder expression = new StringBuilder();
        if (!sets.isEmpty()) {
            expression.append("SET ").append(String.join(", ", sets));
        }
        if (!adds.isEmpty()) {
            expression.append(" ADD ").append(String.join(", ", adds));
        }
        if (!removes.isEmpty()) {
            expression.append(" REMOVE ").append(String.join(", ", removes));
        }
        request.updateExpression(expression.toString().strip()).expressionAttributeNames(names);
        if (condition != null) {
            request.conditionExpression(condition);
        }
        if (!values.isEmpty()) {
            request.expressionAttributeValues(values);
        }
        return request;
    }

    private String alias(String attribute) {
        String alias = "#" + attribute;
        names.put(alias, attribute);
        return alias;
    }

    private String value(String attribute, AttributeValue value) {
        String name = ":" + attribute + values.size();
        values.put(name, value);
        return name;
    }
}
