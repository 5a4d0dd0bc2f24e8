package org.kvmportal.hypervisor;

/** An open serial console of a running domain: bytes to and from the guest's first serial/console device. */
public interface SerialConsole extends AutoCloseable {

    /** Queues bytes for the guest (keystrokes). Never blocks on the guest; throws HypervisorException once the console is closed. */
    void send(byte[] bytes);

    /** Closes the stream; idempotent; the listener then gets closed(...) exactly once (if it did not already). */
    @Override
    void close();

    /** Receives the guest's output. Called on libvirt's event thread: must not block. */
    interface Listener {

        void received(byte[] bytes);

        /** The console ended: guest stopped, host lost, closed by us or taken by someone else; reason is for people. */
        void closed(String reason);
    }
}
