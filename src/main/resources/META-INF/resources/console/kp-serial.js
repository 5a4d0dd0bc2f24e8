// <kp-serial-console>: a VM's serial console in xterm.js, over the portal's ticketed serial relay.
import { Terminal } from '../webjars/xterm/@xterm.version@/lib/xterm.mjs';
import { FitAddon } from '../webjars/xterm-addon-fit/@xterm-addon-fit.version@/lib/addon-fit.mjs';
import { ConsoleElement } from './kp-console-base.js';

const STYLESHEET = new URL('../webjars/xterm/@xterm.version@/css/xterm.css', import.meta.url).href;

class SerialConsole extends ConsoleElement {
    build() {
        if (!document.querySelector(`link[href="${STYLESHEET}"]`)) {
            const link = document.createElement('link');
            link.rel = 'stylesheet';
            link.href = STYLESHEET;
            document.head.append(link);
        }
        this._box = document.createElement('div');
        this._box.className = 'kp-terminal';
        this.append(this._box);
        this._terminal = new Terminal({ cursorBlink: true, convertEol: false, scrollback: 5000 });
        this._fit = new FitAddon();
        this._terminal.loadAddon(this._fit);
        this._terminal.open(this._box);
        this._encoder = new TextEncoder();
        this._terminal.onData((text) => this._type(text));
        new ResizeObserver(() => this._fit.fit()).observe(this);
    }

    connect(path, ticket, viewOnly) {
        this._viewOnly = viewOnly;
        this._terminal.options.disableStdin = viewOnly;
        const socket = this.openSocket(path, ticket);
        socket.addEventListener('open', () => {
            this.connected();
            this._terminal.focus();
            // The shell printed its prompt long ago: a new line brings a fresh one.
            if (!viewOnly) {
                this._type('\r');
            }
        });
        socket.addEventListener('message', (event) => this._terminal.write(new Uint8Array(event.data)));
    }

    focusScreen() {
        this._terminal.focus();
    }

    _type(text) {
        if (!this._viewOnly && this._socket?.readyState === WebSocket.OPEN) {
            this._socket.send(this._encoder.encode(text));
        }
    }
}

if (!customElements.get('kp-serial-console')) {
    customElements.define('kp-serial-console', SerialConsole);
}
