package org.kvmportal.e2e;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.WaitForSelectorState;
import org.kvmportal.benchmark.BenchmarkReport;
import org.kvmportal.hypervisor.HostState;
import org.kvmportal.hypervisor.Hypervisor;
import org.kvmportal.testing.TestHostXml;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The portal with 3,000 VMs: three libvirt test-driver hosts of 1,000 domains each, generated under
 * target/benchmark/hosts and configured as the portal's only hosts. Abstract: the benchmarks are its
 * subclasses, each in its own JVM (see the {@code benchmark} Maven profile).
 */
abstract class VmListScaleBenchmark extends BrowserTest {

    static final int HOSTS = 3;
    static final int DOMAINS_PER_HOST = 1000;
    /** Sorted by name, the grid's first row. */
    static final String FIRST_VM = "h1-0001";

    @Autowired
    Hypervisor hypervisor;

    /** The generator step. */
    @DynamicPropertySource
    static void hosts(DynamicPropertyRegistry registry) {
        for (int i = 0; i < HOSTS; i++) {
            String name = "h" + (i + 1);
            var file = BenchmarkReport.directory().resolve("hosts").resolve(name + ".xml");
            String uri = TestHostXml.write(file, TestHostXml.many(name, DOMAINS_PER_HOST));
            registry.add("kvmportal.hosts[" + i + "].name", () -> name);
            registry.add("kvmportal.hosts[" + i + "].uri", () -> uri);
        }
    }

    /** Waits until every host is connected and its 1,000 domains are in the inventory. */
    void awaitAllVms() throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (hypervisor.hosts().stream().anyMatch(host -> host.state() != HostState.CONNECTED)
                || hypervisor.domains().size() < HOSTS * DOMAINS_PER_HOST) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Benchmark broken: hosts " + hypervisor.hosts() + " list "
                        + hypervisor.domains().size() + " VMs, expected " + HOSTS * DOMAINS_PER_HOST);
            }
            Thread.sleep(50);
        }
    }

    static void openHosts(Page page) {
        page.navigate("/hosts");
        page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Hosts"))
                .waitFor(visible());
    }

    static Locator menuLink(Page page, String title) {
        return page.locator("#main-menu")
                .getByRole(
                        AriaRole.LINK,
                        new Locator.GetByRoleOptions().setName(title).setExact(true));
    }

    static void signOut(Page page) {
        page.locator("#sign-out").click();
        page.locator("input[name=username]").waitFor(visible());
    }

    /** The link of the first VM, in the grid's first row. */
    static Locator firstRow(Page page) {
        return page.locator("#vm-grid").getByText(FIRST_VM, new Locator.GetByTextOptions().setExact(true));
    }

    static Locator.WaitForOptions visible() {
        return new Locator.WaitForOptions()
                .setState(WaitForSelectorState.VISIBLE)
                .setTimeout(30_000);
    }
}
