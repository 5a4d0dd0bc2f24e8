package org.kvmportal.testing;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A test of the whole portal over HTTP, the way a browser's requests reach it: the demo profile on a port of
 * its own, a database of its own, and a fresh {@link HttpBrowser} (no cookies yet) for every test. A subclass
 * may declare its own {@code @SpringBootTest} for more properties; it must keep the random port.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("demo")
public abstract class PortalOverHttp {

    @TempDir
    protected static Path dataDir;

    @LocalServerPort
    protected int port;

    protected HttpBrowser browser;

    @DynamicPropertySource
    static void isolatedDatabase(DynamicPropertyRegistry registry) {
        registry.add("kvmportal.data-dir", () -> dataDir.toString());
    }

    @BeforeEach
    void newBrowser() {
        browser = new HttpBrowser(port);
    }
}
