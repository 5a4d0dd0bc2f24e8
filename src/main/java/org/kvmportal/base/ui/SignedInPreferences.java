package org.kvmportal.base.ui;

/**
 * What the layout shows and keeps for the signed-in person. The access feature implements it: the shared
 * kernel must not depend on a feature, since every feature depends on the kernel.
 */
public interface SignedInPreferences {

    String displayName();

    boolean prefersDarkTheme();

    void setDarkTheme(boolean dark);
}
