// <kp-screen-console>: a VM's screen in the browser, noVNC over the portal's ticketed VNC relay.
import RFB from '../webjars/novnc/@novnc.version@/core/rfb.js';
import KeyTable from '../webjars/novnc/@novnc.version@/core/input/keysym.js';
import { ConsoleElement } from './kp-console-base.js';

const PASTE_CHARS_PER_SECOND = 100;
// Characters a US keyboard types with Shift held: a guest decodes keys, not characters.
const SHIFTED = new Set('~!@#$%^&*()_+{}|:"<>?ABCDEFGHIJKLMNOPQRSTUVWXYZ');

class ScreenConsole extends ConsoleElement {
    build() {
        this._screen = document.createElement('div');
        this._screen.className = 'kp-screen';
        this._scaling = 'fit';
        this.append(this._screen);
    }

    connect(path, ticket, viewOnly) {
        this._viewOnly = viewOnly;
        const socket = this.openSocket(path, ticket);
        const rfb = new RFB(this._screen, socket, { shared: true });
        rfb.viewOnly = viewOnly;
        rfb.focusOnClick = true;
        rfb.background = 'transparent';
        rfb.addEventListener('desktopname', (event) => {
            this._desktopName = event.detail.name;
            if (this._connected) {
                this.report('connected', { desktopName: this._desktopName });
            }
        });
        rfb.addEventListener('connect', () => {
            this._connected = true;
            this._applyScaling();
            this.connected({ desktopName: this._desktopName });
            rfb.focus();
        });
        this._rfb = rfb;
    }

    /** Sends a key combination: space-separated keysym names of noVNC's KeyTable, pressed in order, released in reverse. */
    sendCombo(names) {
        if (!this._rfb || this._viewOnly) {
            return;
        }
        const keys = names.split(' ').map((name) => KeyTable[name]);
        keys.forEach((keysym) => this._rfb.sendKey(keysym, null, true));
        keys.slice().reverse().forEach((keysym) => this._rfb.sendKey(keysym, null, false));
        this._rfb.focus();
    }

    /** Types text into the guest as keystrokes, at a pace a guest keeps up with. */
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

    cleanup() {
        this._connected = false;
        const rfb = this._rfb;
        this._rfb = null;
        if (rfb) {
            try {
                rfb.disconnect();
            } catch (ignored) {
                // already gone
            }
        }
        super.cleanup();
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
