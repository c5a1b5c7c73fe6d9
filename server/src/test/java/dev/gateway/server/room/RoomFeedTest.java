package dev.gateway.server.room;

import java.util.ArrayList;
import java.util.List;

import dev.gateway.protocol.store.RoomMessage;
import dev.gateway.protocol.store.MessageId;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class RoomFeedTest {
    private final RoomFeed feed = new RoomFeed();
    private final List<String> delivered = new ArrayList<>();

    @Test
    void aNewFeedHoldsEverythingUntilItIsCaughtUp() {
        assertThat(feed.arrive(stored("5-0"), id("5-0")), is(RoomFeed.Arrival.HELD));
        assertThat(feed.arrive(RoomMessage.toAll("joined"), null), is(RoomFeed.Arrival.HELD));
    }

    @Test
    void aFeedHasNoCursorBeforeItsChannelIsSubscribedAndItsBaselineKnown() {
        assertThat(feed.cursor().isPresent(), is(false));
        feed.subscribed();
        assertThat(feed.cursor().isPresent(), is(false));
        feed.baseline(id("3-0"));
        assertThat(feed.cursor().orElseThrow().after(), is(id("3-0")));
    }

    @Test
    void goingLiveDeliversTheHeldMessagesAfterTheLastCaughtUpOneInOrder() {
        RoomFeed.Cursor cursor = subscribedAt("3-0");
        feed.arrive(stored("5-0"), id("5-0"));
        feed.arrive(RoomMessage.toAll("joined"), null);
        feed.arrive(stored("6-0"), id("6-0"));
        assertThat(feed.advance(id("4-0")), is(true));
        assertThat(feed.advance(id("5-0")), is(true));

        assertThat(feed.goLive(cursor.epoch(), m -> delivered.add(m.frame())), is(true));

        assertThat(delivered, is(List.of("joined", "6-0")));
    }

    @Test
    void aLiveFeedDeliversNewerStoredMessagesAndDropsOlderOnes() {
        RoomFeed.Cursor cursor = subscribedAt("3-0");
        feed.goLive(cursor.epoch(), m -> delivered.add(m.frame()));

        assertThat(feed.arrive(stored("4-0"), id("4-0")), is(RoomFeed.Arrival.DELIVER));
        assertThat(feed.arrive(stored("4-0"), id("4-0")), is(RoomFeed.Arrival.DUPLICATE));
        assertThat(feed.arrive(stored("3-5"), id("3-5")), is(RoomFeed.Arrival.DUPLICATE));
        assertThat(feed.arrive(RoomMessage.toAll("typing"), null), is(RoomFeed.Arrival.DELIVER));
    }

    @Test
    void theCatchUpNeverDeliversAMessageTwice() {
        subscribedAt("3-0");

        assertThat(feed.advance(id("4-0")), is(true));
        assertThat(feed.advance(id("4-0")), is(false));
        assertThat(feed.advance(id("2-0")), is(false));
    }

    @Test
    void aSubscriptionLostDuringTheCatchUpKeepsTheFeedHolding() {
        RoomFeed.Cursor cursor = subscribedAt("3-0");
        feed.suspend();

        assertThat(feed.goLive(cursor.epoch(), m -> delivered.add(m.frame())), is(false));
        assertThat(feed.cursor().isPresent(), is(false));
        assertThat(feed.arrive(stored("7-0"), id("7-0")), is(RoomFeed.Arrival.HELD));
    }

    @Test
    void aCatchUpReadBeforeTheLatestSubscriptionDoesNotEndTheCatchUp() {
        RoomFeed.Cursor first = subscribedAt("3-0");
        feed.suspend();
        feed.subscribed();

        assertThat(feed.goLive(first.epoch(), m -> delivered.add(m.frame())), is(false));
        RoomFeed.Cursor second = feed.cursor().orElseThrow();
        assertThat(feed.goLive(second.epoch(), m -> delivered.add(m.frame())), is(true));
    }

    @Test
    void aLiveFeedSuspendedByALostConnectionHoldsAgainAndKeepsItsLastId() {
        RoomFeed.Cursor cursor = subscribedAt("3-0");
        feed.goLive(cursor.epoch(), m -> delivered.add(m.frame()));
        feed.arrive(stored("8-0"), id("8-0"));

        feed.suspend();
        feed.subscribed();

        assertThat(feed.cursor().orElseThrow().after(), is(id("8-0")));
        assertThat(feed.arrive(stored("9-0"), id("9-0")), is(RoomFeed.Arrival.HELD));
    }

    @Test
    void storedMessagesDroppedFromAFullHoldMakeTheCatchUpReadTheStreamAgain() {
        RoomFeed.Cursor cursor = subscribedAt("3-0");
        for (int i = 0; i <= RoomFeed.HELD_LIMIT; i++) {
            feed.arrive(stored("10-" + i), id("10-" + i));
        }

        assertThat(feed.goLive(cursor.epoch(), m -> delivered.add(m.frame())), is(false));
        assertThat(feed.goLive(cursor.epoch(), m -> delivered.add(m.frame())), is(true));
        assertThat(delivered, is(List.of("10-" + RoomFeed.HELD_LIMIT)));
    }

    @Test
    void theBaselineDoesNotMoveALastIdAlreadyKnown() {
        subscribedAt("3-0");
        feed.advance(id("5-0"));

        feed.baseline(id("4-0"));

        assertThat(feed.cursor().orElseThrow().after(), is(id("5-0")));
    }

    private RoomFeed.Cursor subscribedAt(String baseline) {
        feed.subscribed();
        feed.baseline(id(baseline));
        return feed.cursor().orElseThrow();
    }

    private static RoomMessage stored(String id) {
        return RoomMessage.stored(id, id);
    }

    private static MessageId id(String id) {
        return MessageId.parse(id).orElseThrow();
    }
}
