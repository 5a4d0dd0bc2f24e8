package org.kvmportal.hypervisor;

import java.util.concurrent.CompletableFuture;

/**
 * Changes to a domain's definition: hardware, and its XML as a whole. Like {@link Hypervisor}, this layer does
 * no authorization and little validation: callers check rights and input (against {@link #limits} and
 * {@link #choices}) before they call. Failures complete the future with {@link HypervisorException}.
 */
public interface DomainEditor {

    /** The persistent definition's hardware, with what the running domain still lacks. */
    CompletableFuture<DomainHardware> hardware(DomainRef ref);

    CompletableFuture<EditLimits> limits(DomainRef ref);

    /** The active storage pools (with volumes) and networks of the domain's host. */
    CompletableFuture<EditChoices> choices(DomainRef ref);

    /**
     * Writes the change into the persistent definition (read-modify-write, secrets kept) and, when the domain
     * runs, applies it live where the hypervisor allows; the rest waits for the next start and is reported.
     */
    CompletableFuture<EditOutcome> apply(DomainRef ref, HardwareEdit edit);

    /** The persistent definition for editing by hand, secrets replaced by asterisks. */
    CompletableFuture<String> editableXml(DomainRef ref);

    /**
     * A domain XML as {@link #editableXml} shows it: parsed (no DTD, no entities), every secret libvirt keeps in
     * a definition masked, indented the same way, so that two versions compare line by line. No host is asked.
     *
     * @throws HypervisorException when the text is not well-formed XML
     */
    String masked(String xml);

    /**
     * Replaces the persistent definition with {@code xml}, validated by libvirt against its schema. Masked
     * secrets are put back from the current definition; a different name or UUID is refused. On any failure
     * the old definition stays, and the message carries libvirt's own error (without any secret it quoted).
     */
    CompletableFuture<Void> defineXml(DomainRef ref, String xml);
}
