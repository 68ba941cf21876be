package io.marketgate.handlers.store;

import io.marketgate.handlers.Tables;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

// TEMP stub for the local runtime; the real class comes from branch handlers.
public final class TableSchemas {
    private TableSchemas() {}

    public static void createAll(DynamoDbClient dynamoDb, Tables tables) {
        throw new UnsupportedOperationException("TEMP stub: TableSchemas comes from branch handlers");
    }
}
