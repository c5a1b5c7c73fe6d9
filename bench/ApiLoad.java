// A small load generator for the server API (PROTOCOL section 9), JDK only, run as a single source file:
//
//   java bench/ApiLoad.java http://127.0.0.1:8080 KEY [seconds per phase, default 10] [concurrency, default 16]
//
// Phase "publish": POST /api/v1/publish to one user that has a socket open (this program opens it, with a token from
// the development mode's /demo/token when TOKEN is unset), counting the notices that socket receives.
// Phase "presence/query": POST /api/v1/presence/query with 1,000 user ids (one of them online).
// Each phase runs CONCURRENCY virtual threads, each sending its next request when the last one was answered, and
// prints requests/s, failures and latency percentiles. bench/api-load.sh starts Redis and a node and runs this.

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

public class ApiLoad {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: java bench/ApiLoad.java BASE_URL API_KEY [seconds] [concurrency]");
            System.exit(2);
        }
        String base = args[0].replaceAll("/$", "");
        String key = args[1];
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int concurrency = args.length > 3 ? Integer.parseInt(args[3]) : 16;
        String user = "load-target";

        AtomicLong notices = new AtomicLong();
        WebSocket socket = openSocket(base, user, notices);

        String publish = "{\"target\":{\"userId\":\"" + user + "\"},\"event\":\"notice\",\"data\":{\"text\":\"load\"}}";
        String ids = IntStream.range(0, 999).mapToObj(i -> "\"offline-" + i + "\"").collect(Collectors.joining(","));
        String query = "{\"userIds\":[" + ids + ",\"" + user + "\"]}";

        System.out.printf("target %s, %d s per phase, %d concurrent requests%n", base, seconds, concurrency);
        run("publish (1 socket)", base + "/api/v1/publish", key, publish, seconds, concurrency, "\"nodes\":1");
        System.out.printf("  notices received by the socket: %d%n", notices.get());
        run("presence/query (1,000 ids)", base + "/api/v1/presence/query", key, query, seconds, concurrency,
            "\"online\":[\"" + user + "\"]");
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
    }

    private static void run(String name, String url, String key, String body, int seconds, int concurrency, String expect)
            throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        // warm-up: connections, JIT
        long warmEnd = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < warmEnd) {
            send(request);
        }
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        long start = System.nanoTime();
        CountDownLatch done = new CountDownLatch(concurrency);
        for (int i = 0; i < concurrency; i++) {
            Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    HttpResponse<String> response = send(request);
                    latencies.add(System.nanoTime() - t0);
                    if (response != null && response.statusCode() == 200 && response.body().contains(expect)) {
                        ok.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                    }
                }
                done.countDown();
            });
        }
        done.await(seconds + 15L, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - start) / 1e9;
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf("%-28s %8.0f requests/s  ok=%d failed=%d  p50=%.1f ms p99=%.1f ms%n", name, ok.get() / elapsed,
                          ok.get(), failed.get(), percentile(sorted, 0.50), percentile(sorted, 0.99));
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            return null;
        }
    }

    private static double percentile(List<Long> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size()))) / 1e6;
    }

    private static WebSocket openSocket(String base, String user, AtomicLong notices) throws Exception {
        String token = System.getenv("TOKEN");
        if (token == null || token.isBlank()) {
            String json = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/demo/token?user=" + user)).build(),
                                    HttpResponse.BodyHandlers.ofString()).body();
            token = json.replaceAll(".*\"token\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        }
        URI ws = URI.create(base.replaceFirst("^http", "ws") + "/ws?deviceId=load");
        return HTTP.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                .buildAsync(ws, new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            if (text.indexOf("\"event\":\"notice\"") >= 0) {
                                notices.incrementAndGet();
                            }
                            text.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
    }
}
