package io.sparknn.report;

import java.awt.Color;

/** Class colours shared by the hand-drawn plots, so class 3 is the same colour in every figure. */
final class Palette {
  // The ten "Tableau 10" colours: distinct from each other and still readable when lightened.
  private static final Color[] CLASSES = {
    new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759), new Color(0x76B7B2),
    new Color(0x59A14F), new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7),
    new Color(0x9C755F), new Color(0xBAB0AC),
  };

  private Palette() {}

  static Color forClass(int k) {
    return CLASSES[Math.floorMod(k, CLASSES.length)];
  }

  /** {@code c} mixed with white; {@code amount} 0 keeps it, 1 gives white. */
  static Color lighter(Color c, double amount) {
    return new Color(
        mix(c.getRed(), 255, amount), mix(c.getGreen(), 255, amount), mix(c.getBlue(), 255, amount));
  }

  /** {@code from} at {@code t = 0} to {@code to} at {@code t = 1}. */
  static Color between(Color from, Color to, double t) {
    return new Color(
        mix(from.getRed(), to.getRed(), t), mix(from.getGreen(), to.getGreen(), t),
        mix(from.getBlue(), to.getBlue(), t));
  }

  private static int mix(int a, int b, double t) {
    return (int) Math.round(a + (b - a) * Math.max(0, Math.min(1, t)));
  }
}
