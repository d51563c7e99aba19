package io.sparknn.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy the machine was while something was measured, from Linux's {@code /proc}: the load average, and the
 * CPU time used by <em>other</em> processes (all busy time in {@code /proc/stat} minus this JVM's own time and
 * that of the child processes it has waited for) as a share of all cores. A share near 0 means the figures were
 * measured on an otherwise idle machine; the harness records it per section instead of trusting it blindly.
 */
public final class MachineLoad {
  /** Linux's USER_HZ, the unit of both files on every mainstream architecture. */
  private static final double TICKS_PER_SECOND = 100.0;

  /** A reading at one moment; fields are NaN/empty where {@code /proc} is missing. */
  public record Sample(long nanos, String loadavg, double busySeconds, double ownSeconds) {}

  /**
   * The load over one section of the run.
   *
   * @param otherCpuShare CPU seconds of other processes / (wall seconds × cores), null without {@code /proc}
   */
  public record Section(String name, double wallSeconds, String loadavgBefore, String loadavgAfter,
      Double otherCpuShare) {}

  private MachineLoad() {}

  public static Sample sample() {
    return new Sample(System.nanoTime(), loadavg(), busySeconds(), ownSeconds());
  }

  public static Section between(String name, Sample before, Sample after) {
    double wall = (after.nanos() - before.nanos()) / 1e9;
    double other = (after.busySeconds() - before.busySeconds()) - (after.ownSeconds() - before.ownSeconds());
    Double share = Double.isNaN(other) || wall <= 0 ? null
        : Math.round(Math.max(0, other) / (wall * cpus()) * 1000) / 1000.0;
    return new Section(name, Math.round(wall * 10) / 10.0, before.loadavg(), after.loadavg(), share);
  }

  public static int cpus() {
    return Runtime.getRuntime().availableProcessors();
  }

  /** The first three fields of {@code /proc/loadavg}, or "" where there is none. */
  public static String loadavg() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  /** Busy CPU seconds of the whole machine since boot (all but idle and iowait). */
  static double busySeconds() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      for (int i = 1; i <= 8 && i < f.length; i++) {
        if (i != 4 && i != 5) {
          busy += Long.parseLong(f[i]);
        }
      }
      return busy / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** CPU seconds of this process and its reaped children (utime, stime, cutime, cstime). */
  static double ownSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]))
          / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }
}
