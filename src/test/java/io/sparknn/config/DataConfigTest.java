package io.sparknn.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DataConfigTest {
  private static DataConfig of(String format, String dir, String train, String test, Integer numFeatures) {
    return new DataConfig(format, dir, train, test, null, null, null, numFeatures, null, null, null, null, null);
  }

  private static String refused(DataConfig d) {
    return assertThrows(ConfigException.class, () -> d.check("c.yaml")).getMessage();
  }

  @Test
  void badCombinationsOfKeysAreRefusedNamingThem() {
    assertEquals("c.yaml: key 'data.format' is 'csv'; expected one of [idx, parquet, libsvm]",
        refused(of("csv", null, "a", "b", null)));
    assertEquals("c.yaml: key 'data.dir' names a directory of IDX files, but data.format is 'parquet'; give the"
        + " tables as 'data.train' and 'data.test'", refused(of("parquet", "d", "a", "b", null)));
    assertEquals("c.yaml: key 'data.train' is for tables (data.format parquet or libsvm); IDX files are read from"
        + " the directory in 'data.dir'", refused(of(null, null, "a", null, null)));
    assertEquals("c.yaml: key 'data.test' is required with data.format libsvm: the path of the test table",
        refused(of("libsvm", null, "a", null, null)));
    assertEquals("c.yaml: key 'data.num_features' is for data.format libsvm only; a parquet table's rows give"
        + " their width", refused(of("parquet", null, "a", "b", 5)));
  }

  @Test
  void goodCombinationsPass() {
    of(null, null, null, null, null).check("c.yaml");
    of("PARQUET", null, "a", "b", null).check("c.yaml");
    of("libsvm", null, "a", "b", 100).check("c.yaml");
    assertEquals("features", of("parquet", null, "a", "b", null).features());
  }
}
