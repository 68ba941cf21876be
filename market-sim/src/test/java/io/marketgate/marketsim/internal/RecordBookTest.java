package io.marketgate.marketsim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.marketgate.marketsim.internal.RecordBook.Applied;
import io.marketgate.marketsim.internal.RecordBook.Kind;
import io.marketgate.marketsim.internal.RecordBook.SimRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecordBookTest {

    private static final Instant DAY = Instant.parse("2026-12-01T00:00:00Z");
    private final AtomicLong now = new AtomicLong(DAY.plusSeconds(3 * 86_400).toEpochMilli());
    private final RecordBook book = new RecordBook("shop", 42, Map.of(Kind.INQUIRIES, 20, Kind.REVIEWS, 20), now::get);

    @Test
    void given_the_same_seed_when_a_range_is_read_whole_or_in_parts_then_the_same_records_come_back() {
        List<SimRecord> whole = book.between("S1", Kind.INQUIRIES, DAY, DAY.plusSeconds(2 * 86_400));
        List<SimRecord> first = book.between("S1", Kind.INQUIRIES, DAY, DAY.plusSeconds(36 * 3600));
        List<SimRecord> second = book.between("S1", Kind.INQUIRIES, DAY.plusSeconds(36 * 3600), DAY.plusSeconds(2 * 86_400));
        assertThat(whole).hasSize(40);
        assertThat(whole).containsExactlyElementsOf(concat(first, second));
        assertThat(new RecordBook("shop", 42, Map.of(Kind.INQUIRIES, 20), now::get)
                .between("S1", Kind.INQUIRIES, DAY, DAY.plusSeconds(2 * 86_400))).isEqualTo(whole);
        assertThat(whole).allSatisfy(r -> assertThat(book.find("S1", r.id())).contains(r));
        assertThat(book.find("S2", whole.get(0).id())).as("another seller's id").isEmpty();
    }

    @Test
    void given_an_unanswered_inquiry_when_answered_twice_then_the_second_is_a_repeat_and_another_text_is_refused() {
        SimRecord open = first(Kind.INQUIRIES, "UNANSWERED");

        assertThat(book.answer("S1", open.id(), "Yes, it is.").applied()).isEqualTo(Applied.DONE);
        assertThat(book.find("S1", open.id()).orElseThrow().state()).isEqualTo("ANSWERED");
        assertThat(book.answer("S1", open.id(), "Yes, it is.").applied()).isEqualTo(Applied.ALREADY);
        RecordBook.Outcome other = book.answer("S1", open.id(), "No.");
        assertThat(other.applied()).isEqualTo(Applied.REFUSED);
        assertThat(other.reason()).contains("answered already");
        assertThat(book.answer("S1", "600000000000000", "x").applied()).isEqualTo(Applied.NOT_FOUND);
        assertThat(List.of(book.applications(), book.repeats(), book.refusals())).containsExactly(1L, 1L, 1L);
    }

    @Test
    void given_a_deleted_review_when_replied_then_it_is_refused_and_an_answered_record_shows_in_the_changed_list() {
        SimRecord deleted = first(Kind.REVIEWS, "DELETED");
        assertThat(book.reply("S1", deleted.id(), "Thanks").reason()).contains("deleted");

        SimRecord open = first(Kind.REVIEWS, "UNREPLIED");
        book.reply("S1", open.id(), "Thanks");
        Instant later = Instant.ofEpochMilli(now.get());
        assertThat(book.changedBetween("S1", Kind.REVIEWS, later, later.plusSeconds(1)))
                .extracting(SimRecord::id, SimRecord::state).containsExactly(org.assertj.core.groups.Tuple.tuple(open.id(), "REPLIED"));
    }

    private SimRecord first(Kind kind, String state) {
        return book.between("S1", kind, DAY, DAY.plusSeconds(3 * 86_400)).stream().filter(r -> r.state().equals(state))
                .findFirst().orElseThrow();
    }

    private static List<SimRecord> concat(List<SimRecord> a, List<SimRecord> b) {
        java.util.ArrayList<SimRecord> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
