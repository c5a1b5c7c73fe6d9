package dev.gateway.server.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRouting;

/** {@code GET /api/v1/openapi.yaml}: the OpenAPI 3 document of the server API, a resource of this jar; no key needed. */
final class OpenApiDocument {
    static final String RESOURCE = "dev/gateway/api/openapi.yaml";

    private final byte[] document;

    OpenApiDocument() {
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            this.document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void httpRouting(HttpRouting.Builder routing) {
        routing.get("/api/v1/openapi.yaml", (req, res) -> res.header(HeaderNames.CONTENT_TYPE, "application/yaml; charset=utf-8")
                .send(document));
    }
}
