package org.kvmportal.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.kvmportal.testing.PortalOverHttp;

/** The console scripts and the browser libraries they import, as a browser fetches and caches them. */
class ConsoleScriptsIT extends PortalOverHttp {

    /** A library's URL in a console script, relative to the script ('../webjars/...'). */
    private static final Pattern LIBRARY = Pattern.compile("'\\.\\.(/webjars/[^']+)'");

    @Test
    void every_library_a_console_imports_is_served_by_a_versioned_url_that_browsers_keep_for_a_year() throws Exception {
        for (String script : List.of("/console/kp-screen.js", "/console/kp-serial.js")) {
            var source = browser.get(script);
            assertThat(source.statusCode()).as(script).isEqualTo(200);
            var libraries = LIBRARY.matcher(source.body())
                    .results()
                    .map(match -> match.group(1))
                    .toList();
            assertThat(libraries).as(script).hasSizeGreaterThanOrEqualTo(2);
            for (String library : libraries) {
                // The build writes the pinned version into the script: a name, a version, then the file.
                assertThat(library).matches("/webjars/[^/]+/\\d[^/]*/.+");
                var response = browser.get(library);
                assertThat(response.statusCode()).as(library).isEqualTo(200);
                assertThat(response.headers().firstValue("Cache-Control"))
                        .as(library)
                        .hasValueSatisfying(value ->
                                assertThat(value).contains("max-age=31536000").contains("immutable"));
            }
        }
    }

    @Test
    void the_console_scripts_themselves_are_revalidated_on_every_use() throws Exception {
        var first = browser.get("/console/kp-screen.js");
        assertThat(first.headers().firstValue("Cache-Control"))
                .hasValueSatisfying(
                        value -> assertThat(value).contains("no-cache").doesNotContain("no-store"));
        String lastModified = first.headers().firstValue("Last-Modified").orElseThrow();

        var again = browser.get("/console/kp-screen.js", "If-Modified-Since", lastModified);

        assertThat(again.statusCode()).isEqualTo(304);
    }
}
