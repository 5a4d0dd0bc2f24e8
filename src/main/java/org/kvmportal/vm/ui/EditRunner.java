package org.kvmportal.vm.ui;

import com.vaadin.flow.component.UI;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.kvmportal.base.Failures;
import org.kvmportal.hypervisor.EditOutcome;
import org.kvmportal.vm.VmEditException;
import org.kvmportal.vm.VmService;

/**
 * Runs one edit from the Hardware tab off the UI thread: clears the form's errors, and when the service answers
 * (through push) shows what happened, the refusal at its fields, or reloads the tab with the new state.
 */
final class EditRunner {

    private final UI ui;
    private final Runnable reload;

    EditRunner(UI ui, Runnable reload) {
        this.ui = ui;
        this.reload = reload;
    }

    void run(EditErrors errors, Supplier<CompletableFuture<?>> edit) {
        run(errors, edit, () -> {});
    }

    /** @param done runs on success, before the reload (say, to close a dialog) */
    void run(EditErrors errors, Supplier<CompletableFuture<?>> edit, Runnable done) {
        errors.clear();
        CompletableFuture<?> running;
        try {
            running = edit.get();
        } catch (RuntimeException e) {
            Notices.show(VmService.messageOf(e), true);
            return;
        }
        running.whenComplete((result, error) -> ui.access(() -> {
            if (error == null) {
                Notices.show(saved(result), false);
                done.run();
                reload.run();
                return;
            }
            Throwable cause = Failures.causeOf(error);
            if (cause instanceof VmEditException refusal) {
                errors.show(refusal);
            } else {
                Notices.show(VmService.messageOf(cause), true);
            }
        }));
    }

    private static String saved(Object result) {
        if (result instanceof EditOutcome outcome && !outcome.pending().isEmpty()) {
            return "Saved. The running machine gets part of it at its next start (see \"Waiting for a restart\").";
        }
        return "Saved.";
    }
}
