package org.kvmportal.storage.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.upload.Upload;
import com.vaadin.flow.component.upload.UploadFormat;
import com.vaadin.flow.server.streams.UploadEvent;
import org.kvmportal.base.Failures;
import org.kvmportal.storage.Bytes;
import org.kvmportal.storage.StorageService;

/**
 * Uploads an ISO image from the browser into the pool picked on the page. The file streams straight into a
 * new volume (no copy on the portal's disk); the bar shows the bytes written to the volume, not just those
 * the browser sent. The service checks the name and the pool's free space before anything is created.
 */
final class IsoUpload extends VerticalLayout {

    /** Progress is pushed at most this often: a fast upload must not flood the browser with updates. */
    private static final long PUSH_INTERVAL_NANOS = 200_000_000L;

    private final StorageService storage;
    private final Runnable onUploaded;
    private final Upload upload = new Upload();
    private final ProgressBar progress = new ProgressBar();
    private final Span status = new Span();
    /** Set on the UI thread when the admin picks a pool, read by the upload's request thread. */
    private volatile String host;

    private volatile String pool;

    IsoUpload(StorageService storage, Runnable onUploaded) {
        this.storage = storage;
        this.onUploaded = onUploaded;
        setPadding(false);
        upload.setId("iso-upload");
        upload.setUploadFormat(UploadFormat.RAW); // the body is the file: streamed, never buffered as multipart
        upload.setMaxFiles(1);
        upload.setAcceptedFileTypes(".iso");
        upload.setUploadHandler(this::receive);
        upload.addAllFinishedListener(event -> upload.clearFileList());
        progress.setId("iso-progress");
        progress.setVisible(false);
        status.setId("iso-status");
        add(upload, progress, status);
        target(null, null);
    }

    /** The pool the next upload goes to; none disables uploading. */
    void target(String host, String pool) {
        this.host = host;
        this.pool = pool;
        upload.setEnabled(pool != null);
        upload.setDropLabel(new Span(pool == null ? "Pick an active pool first" : "Drop an ISO image for " + pool));
    }

    /** Runs on the upload's own request thread, without the session lock: the UI is reached through push. */
    private void receive(UploadEvent event) {
        UI ui = event.getUI();
        String targetHost = host;
        String targetPool = pool;
        String name = event.getFileName();
        long size = event.getFileSize();
        Outcome.access(ui, () -> {
            progress.setValue(0);
            progress.setVisible(true);
            status.setText("Uploading " + name + " (" + Bytes.of(size) + ") to " + targetPool + "…");
        });
        long[] lastPush = {0};
        try {
            var volume = storage.uploadIso(targetHost, targetPool, name, size, event.getInputStream(), sent -> {
                long now = System.nanoTime();
                if (now - lastPush[0] >= PUSH_INTERVAL_NANOS || sent == size) {
                    lastPush[0] = now;
                    Outcome.access(ui, () -> progress.setValue(size == 0 ? 1 : (double) sent / size));
                }
            });
            Outcome.access(ui, () -> {
                progress.setValue(1);
                status.setText("Uploaded " + volume.name() + " (" + Bytes.of(size) + ") to " + targetPool + ".");
                onUploaded.run();
            });
        } catch (RuntimeException e) {
            String message = Failures.messageOf(e);
            event.reject(message);
            Outcome.access(ui, () -> {
                progress.setVisible(false);
                status.setText(message);
            });
        }
    }
}
