package dev.gateway.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gateway.protocol.event.Json;
import dev.gateway.testsupport.Poll;

/**
 * One tab of a {@link BrowserContext}, driven over its own DevTools session: load a page, run JavaScript in it, wait
 * for a condition in it, look at it. Console output and uncaught exceptions are kept for {@link #console()}, which a
 * failing assertion should show.
 */
public final class BrowserPage {
    private final Chromium browser;
    private final String targetId;
    private final String sessionId;
    private final List<String> console = new ArrayList<>();

    BrowserPage(Chromium browser, String targetId, String sessionId) {
        this.browser = browser;
        this.targetId = targetId;
        this.sessionId = sessionId;
        browser.onEvents(sessionId, this::onEvent);
        command("Runtime.enable", params());
        command("Page.enable", params());
    }

    /** Loads a URL and waits (at most 10 s) until the document and its scripts have loaded. */
    public BrowserPage open(String url) {
        JsonNode result = command("Page.navigate", params().put("url", url));
        if (result.hasNonNull("errorText")) {
            throw new IllegalStateException("cannot load " + url + ": " + result.get("errorText").asText());
        }
        waitFor("document.readyState === 'complete' && location.href !== 'about:blank'", Poll.DEFAULT_TIMEOUT);
        return this;
    }

    /**
     * Evaluates a JavaScript expression in the page and returns its value as JSON; a promise is awaited first.
     *
     * @throws IllegalStateException with the page's exception when the expression throws or its promise rejects
     */
    public JsonNode evaluate(String expression) {
        JsonNode result = command("Runtime.evaluate", params().put("expression", expression)
                .put("awaitPromise", true).put("returnByValue", true));
        if (result.has("exceptionDetails")) {
            JsonNode details = result.get("exceptionDetails");
            throw new IllegalStateException("page threw: " + details.path("exception").path("description")
                    .asText(details.path("text").asText()) + "\nconsole:\n" + String.join("\n", console()));
        }
        JsonNode value = result.path("result").path("value");
        return value.isMissingNode() ? Json.mapper().nullNode() : value;
    }

    /** Waits until a JavaScript expression is truthy in the page, and returns its value. */
    public JsonNode waitFor(String expression) {
        return waitFor(expression, Poll.DEFAULT_TIMEOUT);
    }

    public JsonNode waitFor(String expression, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        RuntimeException failure = null;
        while (System.nanoTime() < deadline) {
            try {
                last = evaluate(expression);
                failure = null;
                if (truthy(last)) {
                    return last;
                }
            } catch (IllegalStateException e) {
                failure = e; // a navigation in progress destroys the context: try again
            }
            sleep();
        }
        AssertionError error = new AssertionError("page: '" + expression + "' not true within " + timeout + " (last: " + last
                + ")\nconsole:\n" + String.join("\n", console()));
        if (failure != null) {
            error.addSuppressed(failure);
        }
        throw error;
    }

    /** Sets the size the page is laid out and captured at (CSS pixels), as a window of that size would. */
    public BrowserPage viewport(int width, int height) {
        command("Emulation.setDeviceMetricsOverride", params().put("width", width).put("height", height)
                .put("deviceScaleFactor", 1).put("mobile", false));
        return this;
    }

    /** Saves a PNG of what the page shows (for a person to look at; the file tool displays it). */
    public Path screenshot(Path file) {
        String data = command("Page.captureScreenshot", params().put("format", "png")).path("data").asText();
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, Base64.getDecoder().decode(data));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The page's console lines and uncaught exceptions so far. */
    public synchronized List<String> console() {
        return List.copyOf(console);
    }

    public void close() {
        browser.call(Optional.empty(), "Target.closeTarget", params().put("targetId", targetId));
    }

    private JsonNode command(String method, ObjectNode params) {
        return browser.call(Optional.of(sessionId), method, params);
    }

    private synchronized void onEvent(JsonNode event) {
        String method = event.path("method").asText();
        JsonNode params = event.path("params");
        if (method.equals("Runtime.consoleAPICalled")) {
            StringBuilder line = new StringBuilder(params.path("type").asText()).append(':');
            for (JsonNode arg : params.path("args")) {
                line.append(' ').append(arg.has("value") ? arg.get("value").asText() : arg.path("description").asText());
            }
            console.add(line.toString());
        } else if (method.equals("Runtime.exceptionThrown")) {
            console.add("exception: " + params.path("exceptionDetails").path("exception").path("description").asText());
        }
    }

    private static boolean truthy(JsonNode value) {
        return value != null && !value.isNull() && !value.isMissingNode()
               && !(value.isBoolean() && !value.asBoolean())
               && !(value.isNumber() && value.asDouble() == 0)
               && !(value.isTextual() && value.asText().isEmpty());
    }

    private static ObjectNode params() {
        return Json.mapper().createObjectNode();
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
