package io.sparknn.report;

/** Puts AWT into headless mode before any chart code touches it, so rendering works without a display. */
final class Headless {
  static {
    // Must run before the JVM's first AWT use to have effect; an explicit -Djava.awt.headless=... wins.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private Headless() {}

  /** Does nothing itself; calling it runs the static initializer above exactly once. */
  static void ensure() {}
}
