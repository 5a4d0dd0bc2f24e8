// What the screen and serial console elements share: the overlay that says what is going on, the
// WebSocket to the portal's relay with the one-time ticket as a subprotocol, and reconnecting by itself
// with a growing delay when the reason for closing may pass (the VM restarting, a dropped connection).
// Everything shown is set as text, never as HTML.

const RETRYABLE = new Set([1001, 1006, 4001, 4002, 4006, 4009]);
const BACKOFF_MS = [1000, 2000, 4000, 8000, 15000];

export class ConsoleElement extends HTMLElement {
    connectedCallback() {
        if (!this._overlay) {
            this._overlay = document.createElement('div');
            this._overlay.className = 'kp-overlay';
            this._overlay.setAttribute('role', 'status');
            this._overlay.hidden = true;
            this._attempt = 0;
            this.build();
            this.append(this._overlay);
        }
    }

    disconnectedCallback() {
        this.disconnect();
    }

    /** Opens the relay's WebSocket; path is below the portal's base URL, the ticket is spent by the handshake. */
    openSocket(path, ticket) {
        this.cleanup();
        this._wanted = true;
        clearTimeout(this._retryTimer);
        const url = new URL(path, document.baseURI);
        url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
        const socket = new WebSocket(url.href, ['kvmportal.console', 'kvmportal.ticket.' + ticket]);
        socket.binaryType = 'arraybuffer';
        socket.addEventListener('close', (event) => this._closed(socket, event.code, event.reason));
        // No 'connecting' report: the server handed out the ticket and shows it already. A round trip to say
        // so would compete with the console's own start for the page and the server.
        this._socket = socket;
        return socket;
    }

    /** Called by subclasses once the far side answers. */
    connected(extra) {
        this._attempt = 0;
        this._overlay.hidden = true;
        this.report('connected', extra);
    }

    /** The server could not issue a ticket: show why; retry later if the reason may pass (VM not started yet). */
    refused(message, retry) {
        this.showOverlay(message);
        this.report('refused', { reason: message });
        if (retry) {
            this._scheduleRetry(message);
        }
    }

    disconnect() {
        this._wanted = false;
        clearTimeout(this._retryTimer);
        this.cleanup();
    }

    _closed(socket, code, reason) {
        if (!this._wanted || socket !== this._socket) {
            return;
        }
        this.cleanup();
        // A handshake refused by the server (403) reaches a browser as 1006 with no reason.
        const text = reason || (code === 1006 ? 'The connection to the console was lost.' : 'The console closed.');
        this.report('disconnected', { code, reason: text });
        if (RETRYABLE.has(code)) {
            this._scheduleRetry(text);
        } else {
            this.showOverlay(text);
        }
    }

    _scheduleRetry(text) {
        const delay = BACKOFF_MS[Math.min(this._attempt, BACKOFF_MS.length - 1)];
        this._attempt++;
        this.showOverlay(text + ' Reconnecting in ' + Math.round(delay / 1000) + ' s…');
        this.report('reconnecting', { reason: text, delayMs: delay });
        clearTimeout(this._retryTimer);
        this._wanted = true;
        this._retryTimer = setTimeout(() => {
            if (this._wanted && this.isConnected) {
                this.dispatchEvent(new CustomEvent('ticket-needed'));
            }
        }, delay);
    }

    showOverlay(text) {
        this._overlay.textContent = text;
        this._overlay.hidden = false;
    }

    /** Subclasses release what they built on the socket, then call this. */
    cleanup() {
        const socket = this._socket;
        this._socket = null;
        if (socket && socket.readyState <= WebSocket.OPEN) {
            socket.close(1000);
        }
    }

    report(state, extra) {
        this.dispatchEvent(new CustomEvent('console-state', { detail: { state, ...extra } }));
    }
}
