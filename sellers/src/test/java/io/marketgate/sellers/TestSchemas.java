package io.marketgate.sellers;

import io.marketgate.market.auth.CredentialField;
import io.marketgate.market.auth.CredentialSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** A schema shaped like a signing market's (a public vendor id, two secret keys), and the sellers table. */
final class TestSchemas {

    static final CredentialSchema SIGNED = CredentialSchema.of(List.of(
            CredentialField.id("vendorId", "A[0-9]{8}", "A and 8 digits"),
            CredentialField.secret("accessKey", "[0-9a-f-]{36}", "a UUID"),
            CredentialField.secret("secretKey", "[0-9a-f]{40}", "40 hex digits")));

    static final String ACCESS_KEY = "0f8e1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b";
    static final String SECRET_KEY = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";

    private TestSchemas() {}

    static Map<String, String> fields(String vendorId, String accessKey, String secretKey) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("vendorId", vendorId);
        fields.put("accessKey", accessKey);
        fields.put("secretKey", secretKey);
        return fields;
    }

    /** A 40-hex-digit secret key that is recognisably number {@code n}. */
    static String secretKey(int n) {
        return String.format("%040x", 0xabc000L + n);
    }

    static void createSellersTable(DynamoDbClient dynamoDb, String table) {
        dynamoDb.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.S).build()));
        dynamoDb.waiter().waitUntilTableExists(b -> b.tableName(table));
    }
}
