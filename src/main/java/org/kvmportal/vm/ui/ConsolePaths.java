package org.kvmportal.vm.ui;

import com.vaadin.flow.component.Component;
import org.kvmportal.hypervisor.DomainRef;

/** Where a VM's console opens. By path, not class: the console feature depends on this one, not back. */
final class ConsolePaths {

    /** The screen console's script (console.ui.ScreenConsole), below the page's base URL. */
    private static final String SCREEN_SCRIPT = "console/kp-screen.js";

    private ConsolePaths() {}

    static String of(DomainRef vm) {
        return "vms/" + vm.host() + "/" + vm.uuid() + "/console";
    }

    /**
     * Fetches the screen console's script, and the ~40 modules of noVNC it imports, while the page is idle,
     * so that the first console opened from a page that offers one starts as fast as later ones; the browser
     * keeps them for other pages (docs/benchmarks.md, "Browser console").
     */
    static void preloadScreenConsole(Component page) {
        page.getElement()
                .executeJs(
                        "(window.requestIdleCallback || setTimeout)(() => import(new URL($0, document.baseURI).href))",
                        SCREEN_SCRIPT);
    }
}
