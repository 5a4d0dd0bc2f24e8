package org.kvmportal.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.kvmportal.e2e.DemoUser.ADMIN;
import static org.kvmportal.testing.Virsh.virsh;
import static org.kvmportal.testing.Virsh.virshQuietly;

import com.microsoft.playwright.options.FilePayload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kvmportal.storage.Bytes;
import org.kvmportal.testing.DiscImages;
import org.kvmportal.testing.Virsh;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An admin uploads an ISO image from the Storage page into a throwaway directory pool on the real host and
 * watches its progress; the file that lands in the pool is the one the browser sent.
 */
class StorageUploadIT extends BrowserTest {

    private static final String POOL = "kp-st-e2e-" + Long.toHexString(System.nanoTime() & 0xffffffL);
    private static final String ISO = "kp-e2e-install.iso";

    private static Path poolDir;

    @DynamicPropertySource
    static void realHost(DynamicPropertyRegistry registry) {
        registry.add("kvmportal.hosts[0].name", () -> "local");
        registry.add("kvmportal.hosts[0].uri", () -> Virsh.SYSTEM);
    }

    @BeforeAll
    static void throwawayPool() throws Exception {
        poolDir = Files.createTempDirectory("kp-st-e2e-pool");
        virsh("pool-define-as", POOL, "dir", "--target", poolDir.toString());
        virsh("pool-start", POOL);
    }

    @AfterAll
    static void removePool() {
        virshQuietly("vol-delete", "--pool", POOL, ISO);
        virshQuietly("pool-destroy", POOL);
        virshQuietly("pool-undefine", POOL);
    }

    @Test
    void an_admin_uploads_an_iso_into_a_pool_and_sees_its_progress_and_a_file_that_is_no_disc_image_is_refused()
            throws Exception {
        byte[] iso = DiscImages.iso9660(6 * 1024 * 1024);
        signIn(page, ADMIN);

        page.navigate("/storage");
        page.locator("#pool-grid")
                .getByText(POOL, new com.microsoft.playwright.Locator.GetByTextOptions().setExact(true))
                .click();
        assertThat(page.locator("#iso-upload")).not().hasAttribute("disabled", "");
        page.locator("#iso-upload input[type=file]")
                .setInputFiles(new FilePayload(ISO, "application/x-iso9660-image", iso));

        assertThat(page.locator("#iso-progress")).isVisible();
        assertThat(page.locator("#iso-status"))
                .hasText("Uploaded " + ISO + " (" + Bytes.of(iso.length) + ") to " + POOL + ".");
        assertThat(page.locator("#iso-progress")).hasAttribute("aria-valuenow", "1");
        assertThat(page.locator("#volume-grid").getByText(ISO)).isVisible();

        Path back = Files.createTempFile("kp-e2e", ".iso");
        try {
            virsh("vol-download", "--pool", POOL, ISO, back.toString());
            org.assertj.core.api.Assertions.assertThat(Files.readAllBytes(back)).isEqualTo(iso);
        } finally {
            Files.deleteIfExists(back);
        }

        byte[] notAnIso = new byte[1024 * 1024];
        new Random(7).nextBytes(notAnIso);
        page.locator("#iso-upload input[type=file]")
                .setInputFiles(new FilePayload("kp-e2e-renamed.iso", "application/x-iso9660-image", notAnIso));
        assertThat(page.locator("#iso-status")).containsText("not a disc image");
        org.assertj.core.api.Assertions.assertThat(virsh("vol-list", POOL)).doesNotContain("kp-e2e-renamed.iso");
    }
}
