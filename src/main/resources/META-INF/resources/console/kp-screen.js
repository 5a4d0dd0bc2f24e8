// <kp-screen-console>: a VM's screen in the browser, through the portal's ticketed VNC relay.
//
// The server side (ConsoleView) hands it a one-time ticket with connect(); the element opens the WebSocket
// on the portal's own origin and lets noVNC speak RFB over it. When the connection ends it reports why
// ("console-state" events) and, for reasons where trying again may help (VM restarting, display not up
// yet, a dropped connection), asks for a new ticket after a growing delay ("ticket-needed"). Everything
// shown here is set as text, never as HTML: the desktop name comes from the VNC server.
import RFB from '../webjars/novnc/core/rfb.js';
import KeyTable from '../webjars/novnc/core/input/keysym.js';

const RETRYABLE = new Set([1001, 1006, 4001, 4002, 4006, 4009]);
const BACKOFF_MS = [1000, 2000, 4000, 8000, 15000];
const PASTE_CHARS_PER_SECOND = 100;
// Characters a US keyboard types with Shift held: a guest decodes keys, not characters.
const SHIFTED = new Set('~!@#$%^&*()_+{}|:"<>?ABCDEFGHIJKLMNOPQRSTUVWXYZ');

class ScreenConsole extends HTMLElement {
    connectedCallback() {
        if (!this._screen) {
            this._screen = document.createElement('div');
            this._screen.className = 'kp-screen';
            this._overlay = document.createElement('div');
            this._overlay.className = 'kp-overlay';
            this._overlay.setAttribute('role', 'status');
            this.append(this._screen, this._overlay);
            this._scaling = 'fit';
            this._attempt = 0;
        }
    }

    disconnectedCallback() {
        this.disconnect();
    }

    /** Opens the console with a ticket from the server; path is the relay's path below the portal's base URL. */
    connect(path, ticket, viewOnly) {
        this._cleanup();
        this._path = path;
        this._viewOnly = viewOnly;
        this._wanted = true;
        const url = new URL(path, document.baseURI);
        url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
        const socket = new WebSocket(url.href, ['kvmportal.console', 'kvmportal.ticket.' + ticket]);
        socket.addEventListener('close', (event) => this._closed(event.code, event.reason));
        this._report('connecting');
        const rfb = new RFB(this._screen, socket, { shared: true });
        rfb.viewOnly = viewOnly;
        rfb.focusOnClick = true;
        rfb.background = 'transparent';
        rfb.addEventListener('connect', () => {
            this._attempt = 0;
            this._overlay.hidden = true;
            this._applyScaling();
            this._report('connected');
            rfb.focus();
        });
        rfb.addEventListener('desktopname', (event) => this._report('connected', { desktopName: event.detail.name }));
        this._rfb = rfb;
    }

    /** The server could not issue a ticket: show why; retry later if the reason may pass (VM not started yet). */
    refused(message, retry) {
        this._showOverlay(message);
        this._report('refused', { reason: message });
        if (retry) {
            this._scheduleRetry(message);
        }
    }

    disconnect() {
        this._wanted = false;
        clearTimeout(this._retryTimer);
        this._cleanup();
    }

    /** Sends a key combination: space-separated keysym names from noVNC's KeyTable, pressed in order, released in reverse. */
    sendCombo(names) {
        if (!this._rfb || this._viewOnly) {
            return;
        }
        const keys = names.split(' ').map((name) => KeyTable[name]);
        keys.forEach((keysym) => this._rfb.sendKey(keysym, null, true));
        keys.slice().reverse().forEach((keysym) => this._rfb.sendKey(keysym, null, false));
        this._rfb.focus();
    }

    /** Types text into the guest as keystrokes, at a pace a guest keeps up with; resolves when done. */
    async typeText(text) {
        if (!this._rfb || this._viewOnly) {
            return;
        }
        for (const ch of text) {
            const shifted = SHIFTED.has(ch);
            if (shifted) {
                this._rfb.sendKey(KeyTable.XK_Shift_L, 'ShiftLeft', true);
            }
            this._rfb.sendKey(keysymOf(ch), null);
            if (shifted) {
                this._rfb.sendKey(KeyTable.XK_Shift_L, 'ShiftLeft', false);
            }
            await new Promise((resolve) => setTimeout(resolve, 1000 / PASTE_CHARS_PER_SECOND));
            if (!this._rfb) {
                return;
            }
        }
        this._rfb.focus();
    }

    /** 'fit' scales the screen to the window, 'actual' shows it 1:1, 'remote' asks the guest to resize. */
    setScaling(mode) {
        this._scaling = mode;
        this._applyScaling();
    }

    fullscreen() {
        this.requestFullscreen?.();
        this._rfb?.focus();
    }

    focusScreen() {
        this._rfb?.focus();
    }

    /** Saves the current screen as a PNG file. */
    screenshot(fileName) {
        if (!this._rfb) {
            return;
        }
        const link = document.createElement('a');
        link.download = fileName;
        link.href = this._rfb.toDataURL('image/png');
        link.click();
    }

    _applyScaling() {
        if (!this._rfb) {
            return;
        }
        this._rfb.scaleViewport = this._scaling === 'fit';
        this._rfb.resizeSession = this._scaling === 'remote';
        this._screen.classList.toggle('kp-actual-size', this._scaling === 'actual');
    }

    _closed(code, reason) {
        if (!this._wanted) {
            return;
        }
        this._cleanup();
        // A handshake refused by the server (403) reaches a browser as 1006 with no reason.
        const text = reason || (code === 1006 ? 'The connection to the console was lost.' : 'The console closed.');
        this._report('disconnected', { code, reason: text });
        if (RETRYABLE.has(code)) {
            this._scheduleRetry(text);
        } else {
            this._showOverlay(text);
        }
    }

    _scheduleRetry(text) {
        const delay = BACKOFF_MS[Math.min(this._attempt, BACKOFF_MS.length - 1)];
        this._attempt++;
        this._showOverlay(text + ' Reconnecting in ' + Math.round(delay / 1000) + ' s…');
        this._report('reconnecting', { reason: text, delayMs: delay });
        clearTimeout(this._retryTimer);
        this._wanted = true;
        this._retryTimer = setTimeout(() => {
            if (this._wanted && this.isConnected) {
                this.dispatchEvent(new CustomEvent('ticket-needed'));
            }
        }, delay);
    }

    _showOverlay(text) {
        this._overlay.textContent = text;
        this._overlay.hidden = false;
    }

    _cleanup() {
        const rfb = this._rfb;
        this._rfb = null;
        if (rfb) {
            try {
                rfb.disconnect();
            } catch (ignored) {
                // already gone
            }
        }
    }

    _report(state, extra) {
        this.dispatchEvent(new CustomEvent('console-state', { detail: { state, ...extra } }));
    }
}

function keysymOf(ch) {
    if (ch === '\n' || ch === '\r') {
        return KeyTable.XK_Return;
    }
    if (ch === '\t') {
        return KeyTable.XK_Tab;
    }
    const code = ch.codePointAt(0);
    // Latin-1 characters are their own keysyms; others use the Unicode keysym range.
    return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) ? code : 0x01000000 + code;
}

if (!customElements.get('kp-screen-console')) {
    customElements.define('kp-screen-console', ScreenConsole);
}
