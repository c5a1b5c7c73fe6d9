package dev.gateway.it;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Pattern;

import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.WsClient;
import dev.gateway.testsupport.Poll;
import dev.gateway.testsupport.Tokens;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * PROTOCOL section 1, probes: {@code /observe/health} and {@code /observe/metrics} (Prometheus text). Metric names are
 * the product's choice; these tests only ask that the counts the issue lists exist and move.
 */
class ObservabilityTest {
    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.nodes("node-obs");

    private static GatewayProcess node;

    @BeforeAll
    static void nameNodes() {
        node = CLUSTER.node("node-obs");
    }

    @Test
    void healthIs200WhenRedisAnswers() {
        assertThat(node.health(), is(200));
    }

    @Test
    void metricsArePrometheusText() {
        HttpResponse<String> metrics = node.get("/observe/metrics");

        assertThat(metrics.statusCode(), is(200));
        assertThat(metrics.headers().firstValue("Content-Type").orElse(""), containsString("text/plain"));
        assertThat(metrics.body(), containsString("# TYPE "));
    }

    @Test
    void metricsCountConnectsFramesAndAuthFailures() {
        WsClient alice = CLUSTER.connect(node, "alice");
        alice.ping();
        WsClient.to(node).bearer(Tokens.claims("mallory").secret(Tokens.WRONG_SECRET).sign()).refusal();

        Poll.eventually("metric samples", () -> node.get("/observe/metrics").body(),
                        hasPositiveSamples("connect", "frame", "auth"));
    }

    /** A metric body with, for each word, a sample whose name contains it and whose value is positive. */
    private static Matcher<String> hasPositiveSamples(String... words) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(String body) {
                List<String> samples = body.lines().filter(line -> !line.startsWith("#")).toList();
                for (String word : words) {
                    Pattern sample = Pattern.compile("^[a-zA-Z_:]*" + word + "[a-zA-Z_:]*(\\{[^}]*\\})? +([0-9.eE+]+)$");
                    boolean found = samples.stream().map(sample::matcher)
                            .anyMatch(m -> m.matches() && Double.parseDouble(m.group(2)) > 0);
                    if (!found) {
                        return false;
                    }
                }
                return true;
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("positive samples of metrics named with ").appendValueList("", ", ", "", words);
            }
        };
    }
}
