package org.kvmportal.vm.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.Composite;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Image;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.page.PageVisibility;
import com.vaadin.flow.server.streams.DownloadEvent;
import com.vaadin.flow.server.streams.DownloadHandler;
import com.vaadin.flow.shared.Registration;
import com.vaadin.flow.signals.Signal;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.kvmportal.hypervisor.DomainRef;
import org.kvmportal.hypervisor.DomainSummary;
import org.kvmportal.vm.VmService;
import org.kvmportal.vm.VmThumbnails;

/**
 * A small live picture of a VM's screen, for cards and the details page. While it is attached and its
 * browser tab is not hidden, it asks for a new picture every {@link #REFRESH}; the browser then fetches the
 * image from a download handler, under a new URL each time. A VM that is not running shows its state instead.
 *
 * <p>Call {@link #show(DomainSummary)} when the VM's state changes, so that the picture starts or stops.
 */
public final class VmThumbnail extends Composite<Div> {

    static final Duration REFRESH = Duration.ofSeconds(10);

    /** How long the browser's request for the picture may wait for a screenshot under way. */
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(10);

    /** Only asks UIs to refresh (through {@code UI.access}); the screenshots run on the hosts' own threads. */
    private static final ScheduledExecutorService TICKS = Executors.newSingleThreadScheduledExecutor(runnable -> {
        var thread = new Thread(runnable, "vm-thumbnail-ticks");
        thread.setDaemon(true);
        return thread;
    });

    private final VmThumbnails thumbnails;
    private final Image image = new Image();
    private final Span placeholder = new Span();
    private DomainSummary vm;
    private int version;
    private ScheduledFuture<?> ticking;
    private Registration visibility;

    public VmThumbnail(VmThumbnails thumbnails, DomainSummary vm) {
        this.thumbnails = thumbnails;
        var root = getContent();
        root.addClassName("vm-thumbnail");
        image.setVisible(false);
        placeholder.addClassName("vm-thumbnail-placeholder");
        placeholder.getElement().setAttribute("role", "img");
        root.add(image, placeholder);
        show(vm);
    }

    /** The VM as it is now: a VM that stopped shows its state, one that started gets a picture at once. */
    public void show(DomainSummary now) {
        boolean wasActive = vm != null && vm.state().isActive();
        this.vm = now;
        image.setAlt("Screen of " + now.name());
        if (!now.state().isActive()) {
            showPlaceholder(now.state().label());
        } else if (!wasActive) {
            showPlaceholder("Loading…");
            getUI().ifPresent(this::refresh);
        }
    }

    @Override
    protected void onAttach(AttachEvent event) {
        var ui = event.getUI();
        // Runs now and whenever the tab's visibility changes, for as long as this is attached.
        visibility = Signal.effect(this, () -> {
            if (ui.getPage().pageVisibilitySignal().get() == PageVisibility.HIDDEN) {
                stopTicking();
            } else {
                startTicking(ui);
            }
        });
    }

    @Override
    protected void onDetach(DetachEvent event) {
        if (visibility != null) {
            visibility.remove();
            visibility = null;
        }
        stopTicking();
    }

    private void startTicking(UI ui) {
        if (ticking == null) {
            ticking = TICKS.scheduleAtFixedRate(
                    () -> ui.access(() -> refresh(ui)), 0, REFRESH.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void stopTicking() {
        if (ticking != null) {
            ticking.cancel(false);
            ticking = null;
        }
    }

    /** Under the UI lock: asks for the picture (cheap when another viewer asked lately), shows it when there. */
    private void refresh(UI ui) {
        if (!vm.state().isActive()) {
            return;
        }
        var ref = vm.ref();
        thumbnails
                .thumbnail(ref)
                .whenComplete((png, error) -> ui.access(() -> {
                    if (!ref.equals(vm.ref()) || !vm.state().isActive()) {
                        return; // stopped meanwhile: the placeholder stays
                    }
                    if (error != null) {
                        showPlaceholder("No picture");
                        placeholder.setTitle(VmService.messageOf(error));
                    } else if (png.isEmpty()) {
                        showPlaceholder("No picture");
                    } else {
                        version++;
                        image.setSrc(new Picture(thumbnails, ref, version));
                        image.setVisible(true);
                        placeholder.setVisible(false);
                    }
                }));
    }

    private void showPlaceholder(String text) {
        image.setVisible(false);
        placeholder.setText(text);
        placeholder.setTitle("");
        placeholder.getElement().setAttribute("aria-label", vm.name() + ": " + text);
        placeholder.setVisible(true);
    }

    /**
     * Serves the VM's latest picture to the browser. A new one per refresh: its version in the URL keeps the
     * browser from showing a cached older picture. Asks {@link VmThumbnails} again, so the signed-in user's
     * right to see the VM is checked on every fetch.
     */
    private record Picture(VmThumbnails thumbnails, DomainRef ref, int version) implements DownloadHandler {

        @Override
        public void handleDownloadRequest(DownloadEvent event) throws IOException {
            Optional<byte[]> png = fetch();
            if (png.isEmpty()) {
                event.getResponse().setStatus(404);
                return;
            }
            event.setContentType("image/png");
            event.setContentLength(png.get().length);
            event.getResponse().setHeader("Cache-Control", "private, max-age=60");
            try (var out = event.getOutputStream()) {
                out.write(png.get());
            }
        }

        private Optional<byte[]> fetch() {
            try {
                return thumbnails.thumbnail(ref).get(FETCH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }

        @Override
        public String getUrlPostfix() {
            return "screen-" + version + ".png";
        }
    }
}
