package dev.gateway.it.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A web server for a browser test's own pages, on its own port of 127.0.0.1, and so its own origin
 * ({@link #origin()}): the front end of a test, served from another origin than the gateway's, as in production.
 * Pages are added as text or as files (a library from node_modules); anything else is 404.
 */
public final class StaticSite implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, Resource> resources = new ConcurrentHashMap<>();

    private record Resource(byte[] bytes, String contentType) {
    }

    private StaticSite(HttpServer server) {
        this.server = server;
    }

    /** Starts a site on a free port of 127.0.0.1. */
    public static StaticSite start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            StaticSite site = new StaticSite(server);
            server.createContext("/", site::serve);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return site;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:PORT}: what the browser sends as {@code Origin} from these pages. */
    public String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The full URL of a path on this site. */
    public String url(String path) {
        return origin() + path;
    }

    /** Serves an HTML page at a path. */
    public StaticSite page(String path, String html) {
        resources.put(path, new Resource(html.getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8"));
        return this;
    }

    /** Serves a file at a path (JavaScript when it ends in .js). */
    public StaticSite file(String path, Path file) {
        try {
            String type = file.toString().endsWith(".js") ? "text/javascript; charset=utf-8" : "application/octet-stream";
            resources.put(path, new Resource(Files.readAllBytes(file), type));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            Resource resource = resources.get(exchange.getRequestURI().getPath());
            if (resource == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", resource.contentType());
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, resource.bytes().length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(resource.bytes());
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
