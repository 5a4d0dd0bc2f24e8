package org.kvmportal.vm.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.kvmportal.hypervisor.HostState;
import org.kvmportal.hypervisor.HostStatus;

/** Names each unreachable host and why, above the VMs it affects (whose states then read "Unknown"). */
final class HostProblemsBanner extends Div {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    HostProblemsBanner() {
        addClassName("host-problems");
        setId("host-problems");
        getElement().setAttribute("role", "alert");
        setVisible(false);
    }

    void show(List<HostStatus> problems) {
        removeAll();
        setVisible(!problems.isEmpty());
        problems.forEach(host -> add(new Paragraph(describe(host))));
    }

    private static String describe(HostStatus host) {
        String what = host.state() == HostState.CONNECTING ? "is connecting" : "is unreachable";
        return "Host " + host.name() + " " + what + " since " + TIME.format(host.since()) + ": " + host.reason()
                + " Its virtual machines show as unknown until it is back; the portal keeps retrying.";
    }
}
