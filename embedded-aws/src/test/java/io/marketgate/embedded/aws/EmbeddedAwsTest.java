package io.marketgate.embedded.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

class EmbeddedAwsTest {

    @Test
    void a_message_sent_to_the_embedded_sqs_is_received_from_its_queue_url() {
        try (EmbeddedSqs sqs = EmbeddedSqs.start(); SqsClient client = sqs.client()) {
            String url = client.createQueue(b -> b.queueName("orders")).queueUrl();
            client.sendMessage(b -> b.queueUrl(url).messageBody("{\"hello\":1}"));

            var received = client.receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1)).messages();

            assertThat(url).startsWith(sqs.endpoint().toString());
            assertThat(received).extracting(Message::body).containsExactly("{\"hello\":1}");
        }
    }

    @Test
    void an_item_put_in_the_embedded_dynamodb_is_read_back() {
        try (EmbeddedDynamoDb ddb = EmbeddedDynamoDb.start(); DynamoDbClient client = ddb.client()) {
            client.createTable(b -> b.tableName("orders").billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
            client.putItem(b -> b.tableName("orders").item(Map.of("pk", AttributeValue.fromS("a"), "v", AttributeValue.fromN("1"))));

            var item = client.getItem(b -> b.tableName("orders").key(Map.of("pk", AttributeValue.fromS("a")))).item();

            assertThat(item.get("v").n()).isEqualTo("1");
        }
    }
}
