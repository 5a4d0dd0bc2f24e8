package org.kvmportal.vm;

import com.vaadin.flow.component.Component;
import org.kvmportal.hypervisor.DomainSummary;

/**
 * A tab that another feature adds to a VM's page, such as the console's: those features depend on this one,
 * so the page finds their tabs as beans. A tab's content exists only while the tab is selected.
 */
public interface VmPageTab {

    String label();

    /** Whether the signed-in user gets this tab on the page of {@code vm}. */
    boolean offeredFor(DomainSummary vm);

    /** The tab's content, made when the tab is selected and dropped when another one is. */
    Component open(DomainSummary vm);
}
