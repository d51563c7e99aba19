package io.sparknn.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run directories are claimed atomically: jobs started at the same moment never share one. */
class RunDirectoryTest {
  private static final int JOBS = 12;

  @TempDir
  Path tmp;

  /** Runs {@code job} on {@link #JOBS} threads released together; returns each outcome (a path or an error). */
  private static List<Object> together(Callable<Path> job) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(JOBS);
    CyclicBarrier start = new CyclicBarrier(JOBS);
    try {
      List<Future<Object>> futures = new ArrayList<>();
      for (int i = 0; i < JOBS; i++) {
        futures.add(pool.submit(() -> {
          start.await();
          try {
            return job.call();
          } catch (IllegalArgumentException e) {
            return e;
          }
        }));
      }
      List<Object> out = new ArrayList<>();
      for (Future<Object> f : futures) {
        out.add(f.get());
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void jobsOfOneNameStartedTogetherGetDistinctDirectories() throws Exception {
    for (int round = 0; round < 5; round++) {
      String parent = tmp.resolve("runs" + round).toString();
      List<Object> got = together(() -> RunDirectory.create(parent, null, "same").path());
      Set<Path> distinct = new HashSet<>();
      for (Object o : got) {
        assertTrue(o instanceof Path, "every job gets a directory: " + o);
        distinct.add((Path) o);
      }
      assertEquals(JOBS, distinct.size(), "directories: " + got);
    }
  }

  @Test
  void onlyOneOfTheJobsGivenTheSameExactDirectoryGetsIt() throws Exception {
    for (int round = 0; round < 5; round++) {
      Path exact = tmp.resolve("exact" + round);
      if (round % 2 == 1) {
        Files.createDirectories(exact); // an existing empty directory is claimed the same way
      }
      List<Object> got = together(() -> RunDirectory.create(tmp.toString(), exact.toString(), "same").path());
      long winners = got.stream().filter(o -> o instanceof Path).count();
      assertEquals(1, winners, "outcomes: " + got);
      for (Object o : got) {
        if (o instanceof IllegalArgumentException e) {
          assertTrue(e.getMessage().contains("output.run") && e.getMessage().contains(exact.toString()),
              e.getMessage());
        }
      }
    }
  }
}
