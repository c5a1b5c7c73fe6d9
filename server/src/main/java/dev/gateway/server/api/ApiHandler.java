package dev.gateway.server.api;

/** One endpoint of the server API: a request in, a reply or an {@link ApiError} out. */
@FunctionalInterface
interface ApiHandler {
    ApiReply handle(ApiRequest request) throws InterruptedException;
}
