package org.kvmportal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kvmportal.e2e.DemoUser.ADMIN;

import com.google.gson.JsonObject;
import com.microsoft.playwright.Page;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The push connection as the browser opens it. */
class PushIT extends BrowserTest {

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
