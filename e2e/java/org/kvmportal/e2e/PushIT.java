package org.kvmportal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.kvmportal.e2e.DemoUser.ADMIN;

import com.google.gson.JsonObject;
import com.microsoft.playwright.Page;
import jakarta.servlet.ServletContext;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.apache.tomcat.websocket.WsSession;
import org.apache.tomcat.websocket.server.WsRemoteEndpointImplServer;
import org.atmosphere.container.version.JSR356WebSocket;
import org.atmosphere.cpr.AtmosphereFramework;
import org.atmosphere.cpr.AtmosphereResourceImpl;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The push connection as the browser opens it. */
class PushIT extends BrowserTest {

    @Autowired
    ServletContext servletContext;

    @Test
    void the_push_websocket_is_opened_without_compression_although_the_browser_offers_it() {
        // Chromium's DevTools protocol shows the handshake's headers, which page scripts cannot see.
        var devTools = page.context().newCDPSession(page);
        Map<String, String> urls = new ConcurrentHashMap<>();
        Map<String, JsonObject> offers = new ConcurrentHashMap<>();
        Map<String, JsonObject> answers = new ConcurrentHashMap<>();
        devTools.on(
                "Network.webSocketCreated",
                event -> urls.put(id(event), event.get("url").getAsString()));
        devTools.on(
                "Network.webSocketWillSendHandshakeRequest", event -> offers.put(id(event), headers(event, "request")));
        devTools.on(
                "Network.webSocketHandshakeResponseReceived",
                event -> answers.put(id(event), headers(event, "response")));
        devTools.send("Network.enable");

        signIn(page, ADMIN);
        page.waitForCondition(
                () -> urls.entrySet().stream()
                        .anyMatch(e -> e.getValue().contains("/VAADIN/push") && answers.containsKey(e.getKey())),
                new Page.WaitForConditionOptions().setTimeout(10_000));

        String push = urls.entrySet().stream()
                .filter(e -> e.getValue().contains("/VAADIN/push"))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow();
        assertThat(value(offers.get(push), "Sec-WebSocket-Extensions")).contains("permessage-deflate");
        assertThat(value(answers.get(push), "Sec-WebSocket-Extensions")).isNull();
    }

    /** The container's socket buffers too (8 KiB each by default): see {@code base.WebConfiguration}. */
    @Test
    void push_websockets_are_sized_for_the_little_they_receive() throws Exception {
        signIn(page, ADMIN);

        // Atmosphere keeps its read buffers and the container's session in private and protected fields.
        var charBuffer = field(org.atmosphere.websocket.WebSocket.class, "cb");
        var byteBuffer = field(org.atmosphere.websocket.WebSocket.class, "bb");
        var session = field(JSR356WebSocket.class, "session");
        var remote = field(WsSession.class, "wsRemoteEndpoint");
        var connection = field(WsRemoteEndpointImplServer.class, "socketWrapper");
        await().atMost(Duration.ofSeconds(10)).until(() -> !pushSockets().isEmpty());
        for (var socket : pushSockets()) {
            assertThat(((CharBuffer) charBuffer.get(socket)).capacity()).isLessThanOrEqualTo(1024);
            assertThat(((ByteBuffer) byteBuffer.get(socket)).capacity()).isLessThanOrEqualTo(1024);
            var container = (jakarta.websocket.Session) session.get(socket);
            assertThat(container.getMaxTextMessageBufferSize()).isLessThanOrEqualTo(1024);
            assertThat(container.getMaxBinaryMessageBufferSize()).isLessThanOrEqualTo(1024);
            var buffers = ((SocketWrapperBase<?>) connection.get(remote.get(container))).getSocketBufferHandler();
            assertThat(buffers.getReadBuffer().capacity()).isEqualTo(4096);
            assertThat(buffers.getWriteBuffer().capacity()).isEqualTo(4096);
        }
    }

    private static Field field(Class<?> owner, String name) throws NoSuchFieldException {
        var field = owner.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }

    /** The Atmosphere WebSockets of the open push connections, found through the framework Vaadin prepared. */
    private List<org.atmosphere.websocket.WebSocket> pushSockets() {
        return Collections.list(servletContext.getAttributeNames()).stream()
                .map(servletContext::getAttribute)
                .filter(AtmosphereFramework.class::isInstance)
                .map(AtmosphereFramework.class::cast)
                .flatMap(framework -> framework.atmosphereFactory().findAll().stream())
                .filter(AtmosphereResourceImpl.class::isInstance)
                .map(resource -> ((AtmosphereResourceImpl) resource).webSocket())
                .filter(Objects::nonNull)
                .toList();
    }

    private static String id(JsonObject event) {
        return event.get("requestId").getAsString();
    }

    private static JsonObject headers(JsonObject event, String part) {
        return event.getAsJsonObject(part).getAsJsonObject("headers");
    }

    /** Header names differ in case between the request and the response views. */
    private static String value(JsonObject headers, String name) {
        if (headers == null) {
            return null;
        }
        return headers.keySet().stream()
                .filter(key -> key.equalsIgnoreCase(name))
                .map(key -> headers.get(key).getAsString())
                .findFirst()
                .orElse(null);
    }
}
