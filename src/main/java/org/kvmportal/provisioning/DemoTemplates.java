package org.kvmportal.provisioning;

import java.time.Duration;
import org.kvmportal.hypervisor.HostState;
import org.kvmportal.hypervisor.Hypervisor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The demo profile's template: {@code demo-template} (defined by scripts/demo-host.sh), open for self-service,
 * so that demo users can create their own VMs. Marked only when it is not a template yet.
 */
@Component
@Profile("demo")
class DemoTemplates {

    static final String TEMPLATE = "demo-template";

    private static final Logger log = LoggerFactory.getLogger(DemoTemplates.class);
    private static final Duration WAIT_FOR_HOSTS = Duration.ofSeconds(15);

    private final Hypervisor hypervisor;
    private final VmTemplates templates;

    DemoTemplates(Hypervisor hypervisor, VmTemplates templates) {
        this.hypervisor = hypervisor;
        this.templates = templates;
    }

    /** Before the portal reports itself ready, like the demo assignments: waits for the hosts' first listing. */
    @EventListener(ApplicationReadyEvent.class)
    void mark() {
        long deadline = System.nanoTime() + WAIT_FOR_HOSTS.toNanos();
        int settledRounds = 0;
        while (System.nanoTime() < deadline && settledRounds < 3) {
            var template = hypervisor.domains().stream()
                    .filter(vm -> vm.name().equals(TEMPLATE))
                    .findFirst();
            if (template.isPresent()) {
                if (!templates.all().containsKey(template.get().ref())) {
                    templates.mark(template.get().ref(), true, "demo");
                    log.info("Marked {} as a self-service template", TEMPLATE);
                }
                return;
            }
            boolean settled = hypervisor.hosts().stream().noneMatch(host -> host.state() == HostState.CONNECTING);
            settledRounds = settled ? settledRounds + 1 : 0;
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
