package org.kvmportal.console.relay;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.Hypervisor;
import org.kvmportal.hypervisor.VncEndpoint;
import org.springframework.stereotype.Component;

/**
 * Where a VM's display is, asked of its host when a console connects (not when its ticket was issued, so a
 * port reused by another VM in between is never reached). A bean of its own so relay tests can point the
 * relay at a fake RFB server.
 */
@Component
class DisplayLocator {

    private static final long TIMEOUT_SECONDS = 10;

    private final Hypervisor hypervisor;

    DisplayLocator(Hypervisor hypervisor) {
        this.hypervisor = hypervisor;
    }

    VncEndpoint locate(DomainRef vm) throws Unavailable {
        try {
            return hypervisor.vncEndpoint(vm).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            boolean stopped =
                    hypervisor.domain(vm).map(d -> !d.state().isActive()).orElse(true);
            throw new Unavailable(e.getCause().getMessage(), stopped);
        } catch (TimeoutException e) {
            throw new Unavailable("the host did not answer in time", false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted", false);
        }
    }

    static final class Unavailable extends Exception {
        private final boolean vmStopped;

        Unavailable(String message, boolean vmStopped) {
            super(message);
            this.vmStopped = vmStopped;
        }

        boolean vmStopped() {
            return vmStopped;
        }
    }
}
