package dev.gateway.server.socketio;

import java.util.ArrayList;
import java.util.List;

import dev.gateway.server.client.OutboundFrame;
import dev.gateway.server.client.Transport;

/** A WebSocket stand-in that records what was written: {@code text}, or {@code close:CODE}. */
final class RecordingTransport implements Transport {
    private final List<String> written = new ArrayList<>();
    private boolean open = true;

    synchronized List<String> written() {
        return List.copyOf(written);
    }

    @Override
    public synchronized void sendText(OutboundFrame frame) {
        written.add(frame.text());
    }

    @Override
    public void sendPing() {
    }

    @Override
    public void sendPong(byte[] payload) {
    }

    @Override
    public synchronized void sendClose(int code, String reason) {
        written.add("close:" + code);
        open = false;
    }

    @Override
    public synchronized void abort() {
        open = false;
    }

    @Override
    public synchronized boolean isOpen() {
        return open;
    }

    @Override
    public String remoteAddress() {
        return "127.0.0.1";
    }
}
