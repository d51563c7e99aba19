package io.sparknn.experiments;

import io.sparknn.report.AtomicFiles;
import io.sparknn.report.Table;
import io.sparknn.run.RunDirectory;
import java.nio.file.Path;

/**
 * The run directory of one experiment ({@code runs/<timestamp>-<name>/} unless an exact directory is given)
 * and the way results land in it: each table as {@code NAME.csv} + {@code NAME.md} and echoed to stdout in
 * Markdown, pictures as PNG files beside them, and {@code FINISHED} once everything is written. Like
 * {@code TrainJob}'s, a directory that holds a finished run is never written over.
 */
public final class ExperimentRun {
  private final RunDirectory dir;

  private ExperimentRun(RunDirectory dir) {
    this.dir = dir;
  }

  /** A fresh run directory under {@code parent}, or exactly {@code exact} when not null. */
  public static ExperimentRun create(String parent, String exact, String name) {
    ExperimentRun run = new ExperimentRun(RunDirectory.create(parent == null ? "runs" : parent, exact, name));
    System.out.println("sparknn: run directory " + run.path());
    return run;
  }

  public Path path() {
    return dir.path();
  }

  /** The path of file {@code name} in the run directory. */
  public Path file(String name) {
    return dir.resolve(name);
  }

  /** Writes {@code table} as {@code baseName.csv} and {@code baseName.md}, and prints it. */
  public void write(Table table, String baseName) {
    table.write(dir.path(), baseName);
    System.out.println();
    System.out.println("## " + baseName);
    System.out.print(table.toMarkdown());
  }

  /** Writes a text file (a config echo, a note). */
  public void writeText(String name, String text) {
    AtomicFiles.writeString(dir.resolve(name), text);
  }

  /** Marks the run complete. */
  public void finish() {
    dir.finish();
  }
}
