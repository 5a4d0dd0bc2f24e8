package org.kvmportal.e2e;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import java.util.regex.Pattern;

/**
 * The VM list's grid, read the way assistive technology reads it. Vaadin renders cell contents into the
 * grid's light DOM and slots them into shadow-DOM cells, so a row's text is only reachable through the
 * accessibility tree (row and cell names), not through plain CSS descendants.
 */
final class VmGrid {

    // Column 0 holds the row's selection checkbox, column 1 the name.
    private static final int HOST_COLUMN = 2;
    private static final int STATE_COLUMN = 3;
    private static final int UPTIME_COLUMN = 7;

    private final Locator grid;

    VmGrid(Page page) {
        this.grid = page.locator("#vm-grid");
    }

    /** The row naming the VM as a whole word, so that demo-alpha never matches demo-alpha-2. */
    Locator row(String vm) {
        return grid.getByRole(
                AriaRole.ROW,
                new Locator.GetByRoleOptions()
                        .setName(Pattern.compile("(^|\\s)" + escapeForJavaScript(vm) + "(\\s|$)")));
    }

    /** Ticks the VM's selection checkbox (slotted into the row's first cell, like all cell content). */
    void select(String vm) {
        slotted(row(vm).getByRole(AriaRole.GRIDCELL).first(), "vaadin-checkbox").click();
    }

    Locator hostCell(String vm) {
        return row(vm).getByRole(AriaRole.GRIDCELL).nth(HOST_COLUMN);
    }

    Locator stateCell(String vm) {
        return row(vm).getByRole(AriaRole.GRIDCELL).nth(STATE_COLUMN);
    }

    Locator uptimeCell(String vm) {
        return row(vm).getByRole(AriaRole.GRIDCELL).nth(UPTIME_COLUMN);
    }

    /** The link to the VM's own page. */
    Locator link(String vm) {
        return grid.getByRole(
                AriaRole.LINK, new Locator.GetByRoleOptions().setName(vm).setExact(true));
    }

    /** The state badge (with its {@code data-state}) shown for the VM right now. */
    Locator stateBadge(String vm) {
        return grid.locator("vaadin-grid-cell-content span[data-vm='" + vm + "']");
    }

    private Locator slotted(Locator cell, String selector) {
        String slot = cell.locator("slot").getAttribute("name");
        return grid.locator("vaadin-grid-cell-content[slot='" + slot + "'] " + selector);
    }

    /** Playwright hands the pattern to the browser's RegExp, which does not know Java's \Q...\E quoting. */
    private static String escapeForJavaScript(String literal) {
        return literal.replaceAll("[.*+?^${}()|\\[\\]\\\\/]", "\\\\$0");
    }

    /** Every visible body and empty-state cell; header cells are column headers, not grid cells. */
    Locator cells() {
        return grid.getByRole(AriaRole.GRIDCELL);
    }
}
