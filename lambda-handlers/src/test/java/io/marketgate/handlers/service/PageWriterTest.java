package io.marketgate.handlers.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketgate.embedded.aws.EmbeddedDynamoDb;
import io.marketgate.handlers.sqs.CollectionMessage;
import io.marketgate.handlers.store.OrderStore;
import io.marketgate.handlers.store.RequestStatus;
import io.marketgate.handlers.store.RequestStatus.Checkpoint;
import io.marketgate.handlers.store.RequestStatusRepository;
import io.marketgate.handlers.store.TableSchemas;
import io.marketgate.handlers.store.Tables;
import io.marketgate.limiter.Priority;
import io.marketgate.market.DataKind;
import io.marketgate.market.MarketData.OrderPage;
import io.marketgate.market.Order;
import io.marketgate.market.OrderStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/**
 * A collection's pages written while the next is asked for, on the local DynamoDB (dynalite): every order of every
 * page is written once, the checkpoint moves past a page only once all its writes succeeded, a write the server
 * refuses (an item over DynamoDB's 400 KB, which dynalite refuses as DynamoDB does) stops the collection with the
 * checkpoint at that page and nothing after it written, and the resumed collection writes no page twice.
 */
class PageWriterTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final Tables TABLES = Tables.withPrefix("pw-");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-02T00:00:00Z"), ZoneOffset.UTC);

    private static EmbeddedDynamoDb server;
    private static DynamoDbClient dynamoDb;
    private static RequestStatusRepository requests;
    private static OrderStore orders;

    @BeforeAll
    static void start() {
        server = EmbeddedDynamoDb.start();
        dynamoDb = server.client();
        TableSchemas.createAll(dynamoDb, TABLES);
        requests = new RequestStatusRepository(dynamoDb, TABLES.requests(), CLOCK);
        orders = new OrderStore(dynamoDb, TABLES.orders(), CLOCK, CollectorService.PAGE_WRITES_IN_FLIGHT);
    }

    @AfterAll
    static void stop() {
        dynamoDb.close();
        server.close();
    }

    @Test
    void given_three_pages_of_fifty_orders_when_written_while_the_next_is_asked_for_then_every_order_is_stored_once() {
        // GIVEN a running request and three pages of 50 orders (one order listed twice on the last page, as it moved on)
        String requestId = start("all");
        List<OrderPage> pages = List.of(page("all", 0, 50), page("all", 50, 50), withRepeat(page("all", 100, 49), "all-O120"));

        // WHEN each page is handed over as the collection would, then the collection completes
        try (PageWriter writer = writer(requestId, "all")) {
            for (int p = 0; p < pages.size(); p++) {
                writer.accept(pages.get(p), p < 2 ? Optional.of(position(p + 1)) : Optional.empty());
            }
            writer.finish();
        }

        // THEN all 149 orders are stored, each written once but the repeated one (twice, its later state last)
        List<Map<String, AttributeValue>> items = items("all");
        assertThat(items).hasSize(149);
        assertThat(items).filteredOn(i -> !i.get("sk").s().equals("all-O120"))
                .allSatisfy(i -> assertThat(i.get("writes").n()).isEqualTo("1"));
        Map<String, AttributeValue> repeated = items.stream().filter(i -> i.get("sk").s().equals("all-O120")).findFirst().orElseThrow();
        assertThat(repeated.get("status").s()).isEqualTo("SHIPPED");
        // and the request is complete: no checkpoint left, every order counted
        RequestStatus status = requests.find(requestId).orElseThrow();
        assertThat(status.checkpoint()).isEmpty();
        assertThat(status.ordersWritten()).isEqualTo(150);
    }

    @Test
    void given_a_page_the_store_refuses_when_the_next_page_arrives_then_the_checkpoint_stays_at_that_page_and_the_resumed_run_writes_no_page_twice() {
        // GIVEN page 2 of 3 carries an order of 500 KB, over DynamoDB's item size: its write is refused by the server
        String requestId = start("fail");
        OrderPage first = page("fail", 0, 50);
        OrderPage second = page("fail", 50, 50);
        OrderPage third = page("fail", 100, 50);
        List<Order> oversized = new ArrayList<>(second.orders());
        Order big = oversized.get(25);
        oversized.set(25, new Order(big.orderId(), big.status(), big.commonStatus(), big.updatedAt(), big.changedAt(),
                "{\"note\":\"" + "x".repeat(500_000) + "\"}"));
        OrderPage refused = new OrderPage(oversized, second.nextCursor());

        // WHEN pages 1 and 2 are handed over and page 3 arrives
        try (PageWriter writer = writer(requestId, "fail")) {
            writer.accept(first, Optional.of(position(1)));
            writer.accept(refused, Optional.of(position(2)));
            assertThatThrownBy(() -> writer.accept(third, Optional.empty()))
                    .isInstanceOf(PageWriter.WriteFailedException.class)
                    .hasCauseInstanceOf(DynamoDbException.class)
                    .hasMessageContaining(requestId);
        }

        // THEN the checkpoint is page 2's position (page 1 fully written), and nothing of page 3 was written
        RequestStatus stopped = requests.find(requestId).orElseThrow();
        assertThat(stopped.checkpoint()).contains(position(1));
        assertThat(stopped.ordersWritten()).isEqualTo(50);
        assertThat(items("fail")).noneMatch(i -> number(i.get("sk").s()) >= 100);
        assertThat(items("fail")).noneMatch(i -> i.get("sk").s().equals(big.orderId()));

        // WHEN the redelivery resumes at the checkpoint, the market answering page 2 as it is
        requests.startAttempt(message(requestId));
        try (PageWriter writer = writer(requestId, "fail")) {
            writer.accept(second, Optional.of(position(2)));
            writer.accept(third, Optional.empty());
            writer.finish();
        }

        // THEN all 150 orders are stored; page 1's were written once only, page 3's once; page 2's again at most once more
        List<Map<String, AttributeValue>> items = items("fail");
        assertThat(items).hasSize(150);
        assertThat(items).filteredOn(i -> number(i.get("sk").s()) < 50 || number(i.get("sk").s()) >= 100)
                .allSatisfy(i -> assertThat(i.get("writes").n()).isEqualTo("1"));
        assertThat(items).filteredOn(i -> number(i.get("sk").s()) >= 50 && number(i.get("sk").s()) < 100)
                .allSatisfy(i -> assertThat(Integer.parseInt(i.get("writes").n())).isBetween(1, 2));
        RequestStatus done = requests.find(requestId).orElseThrow();
        assertThat(done.checkpoint()).isEmpty();
        assertThat(done.ordersWritten()).isEqualTo(150);
    }

    @Test
    void given_concurrency_below_one_then_the_store_is_refused_naming_it() {
        assertThatThrownBy(() -> new OrderStore(dynamoDb, TABLES.orders(), CLOCK, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("writeConcurrency");
    }

    private static PageWriter writer(String requestId, String seller) {
        return new PageWriter(requests, requestId,
                page -> orders.write("shop", seller, requestId, ((OrderPage) page).orders(), false, true).stale());
    }

    private static String start(String seller) {
        String requestId = "req-" + seller;
        requests.createQueued(message(requestId));
        requests.startAttempt(message(requestId));
        return requestId;
    }

    private static CollectionMessage message(String requestId) {
        return new CollectionMessage(requestId, "shop", requestId.substring(4), DataKind.ORDERS, T0, T0.plusSeconds(86_400),
                Priority.MEDIUM);
    }

    /** The position of page {@code p} (0-based) of the day's window: its cursor. */
    private static Checkpoint position(int p) {
        return new Checkpoint(T0, T0.plusSeconds(86_400), Optional.of("page-" + p));
    }

    private static OrderPage page(String seller, int first, int count) {
        List<Order> list = IntStream.range(first, first + count).mapToObj(i -> new Order(seller + "-O" + i, "ACCEPT",
                OrderStatus.PAID, T0.plusSeconds(i), T0.plusSeconds(i), "{\"n\":" + i + "}")).toList();
        return new OrderPage(list, Optional.of("page-" + (first / 50 + 1)));
    }

    /** {@code page} with a later state of {@code orderId} (listed on it already) at its end. */
    private static OrderPage withRepeat(OrderPage page, String orderId) {
        List<Order> list = new ArrayList<>(page.orders());
        list.add(new Order(orderId, "SHIPPED", OrderStatus.SHIPPING, T0.plusSeconds(130), T0.plusSeconds(130), "{}"));
        return new OrderPage(list, Optional.empty());
    }

    private static int number(String orderId) {
        return Integer.parseInt(orderId.substring(orderId.indexOf("-O") + 2));
    }

    private static List<Map<String, AttributeValue>> items(String seller) {
        return dynamoDb.queryPaginator(b -> b.tableName(TABLES.orders()).consistentRead(true)
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(OrderStore.partition("shop", seller)))))
                .items().stream().toList();
    }
}
