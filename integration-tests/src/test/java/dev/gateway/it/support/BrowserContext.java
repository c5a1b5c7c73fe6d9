package dev.gateway.it.support;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gateway.protocol.event.Json;

/**
 * One isolated browser profile of a {@link Chromium} (Target.createBrowserContext): its own cookies, storage and
 * connections, like a second person on another machine. Closing it closes its pages.
 */
public final class BrowserContext implements AutoCloseable {
    private final Chromium browser;
    private final String id;
    private final List<BrowserPage> pages = new CopyOnWriteArrayList<>();

    BrowserContext(Chromium browser, String id) {
        this.browser = browser;
        this.id = id;
    }

    /** A new blank tab in this profile; {@link BrowserPage#open} then loads a page. */
    public BrowserPage newPage() {
        ObjectNode create = Json.mapper().createObjectNode().put("url", "about:blank").put("browserContextId", id);
        String targetId = browser.call(Optional.empty(), "Target.createTarget", create).path("targetId").asText();
        ObjectNode attach = Json.mapper().createObjectNode().put("targetId", targetId).put("flatten", true);
        String sessionId = browser.call(Optional.empty(), "Target.attachToTarget", attach).path("sessionId").asText();
        BrowserPage page = new BrowserPage(browser, targetId, sessionId);
        pages.add(page);
        return page;
    }

    @Override
    public void close() {
        pages.clear();
        browser.forget(this);
        browser.call(Optional.empty(), "Target.disposeBrowserContext",
                     Json.mapper().createObjectNode().put("browserContextId", id));
    }
}
