package io.sparknn.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparknn.train.TrainingState;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the sweep knows about one trial while it runs, and its line of {@code trials.jsonl}: the trial's values
 * and config keys, status, reason of a failure, the objective and metrics at each rung reached, every epoch's
 * metrics, epochs trained and seconds spent. The state to continue training from lives only in memory. Owned
 * by the sweep's driver loop; not thread-safe.
 */
public final class TrialRecord {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where a trial is. {@code PAUSED}: waiting at a rung for a promotion; {@code STOPPED}: never promoted. */
  public enum Status {
    PENDING, RUNNING, PAUSED, COMPLETED, STOPPED, FAILED;

    public String json() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The result at a rung.
   *
   * @param epochs the rung's epochs
   * @param objective the objective after them
   * @param last that epoch's metrics
   * @param seconds time the step to this rung took
   * @param attempt the Spark task attempt that produced it (task mode)
   */
  public record Rung(int epochs, double objective, EpochResult last, double seconds, int attempt) {}

  private final Trial trial;
  private Status status = Status.PENDING;
  private String reason;
  private Integer failedRung;
  private final List<Rung> rungs = new ArrayList<>();
  private final List<EpochResult> history = new ArrayList<>();
  private int epochsTrained;
  private double seconds;
  private TrainingState state;

  public TrialRecord(Trial trial) {
    this.trial = trial;
    if (!trial.valid()) {
      status = Status.FAILED;
      reason = "invalid config: " + trial.invalid();
    }
  }

  public Trial trial() {
    return trial;
  }

  public String id() {
    return trial.id();
  }

  public Status status() {
    return status;
  }

  public String reason() {
    return reason;
  }

  public List<Rung> rungs() {
    return rungs;
  }

  public List<EpochResult> history() {
    return history;
  }

  public int epochsTrained() {
    return epochsTrained;
  }

  public double seconds() {
    return seconds;
  }

  /** The state after the last rung reached, if still in memory. */
  public TrainingState state() {
    return state;
  }

  /** Index of the rung the trial failed on its way to, or null. */
  public Integer failedRung() {
    return failedRung;
  }

  /** Epochs of the highest rung reached (0: none). */
  public int epochsReached() {
    return rungs.isEmpty() ? 0 : rungs.get(rungs.size() - 1).epochs();
  }

  /** Objective at the highest rung reached (NaN: none). */
  public double objective() {
    return rungs.isEmpty() ? Double.NaN : rungs.get(rungs.size() - 1).objective();
  }

  void started() {
    status = Status.RUNNING;
  }

  /**
   * A step from {@code fromEpochs} ended well: its epochs replace any recorded after {@code fromEpochs}, and
   * the trial has reached a rung.
   */
  void reached(int fromEpochs, RungOutcome o, double objective, boolean top) {
    account(fromEpochs, o);
    EpochResult last = o.epochs().get(o.epochs().size() - 1);
    rungs.add(new Rung(last.epoch(), objective, last, o.seconds(), o.attempt()));
    state = top ? null : o.end();
    status = top ? Status.COMPLETED : Status.PAUSED;
  }

  /** A step from {@code fromEpochs} towards rung {@code rung} failed. */
  void failed(int fromEpochs, int rung, RungOutcome o) {
    account(fromEpochs, o);
    status = Status.FAILED;
    reason = o.failure();
    failedRung = rung;
    state = null;
  }

  private void account(int fromEpochs, RungOutcome o) {
    history.removeIf(e -> e.epoch() > fromEpochs);
    history.addAll(o.epochs());
    epochsTrained += o.epochs().size();
    seconds += o.seconds();
  }

  /** At the end of the sweep: a trial left waiting at a rung stopped there. */
  void settle() {
    if (status == Status.PAUSED || status == Status.RUNNING) {
      status = rungs.isEmpty() ? Status.PENDING : Status.STOPPED;
    }
  }

  /** This trial's line of {@code trials.jsonl} (non-finite numbers as null). */
  public ObjectNode toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("trial", trial.id());
    o.put("index", trial.index());
    o.put("status", status.json());
    o.put("reason", reason);
    o.set("params", object(trial.params()));
    o.set("config", object(trial.config()));
    ArrayNode overrides = o.putArray("overrides");
    trial.overrides().forEach(overrides::add);
    number(o, "objective", objective());
    o.put("epochs", epochsReached());
    o.put("epochs_trained", epochsTrained);
    number(o, "seconds", seconds);
    if (failedRung == null) {
      o.putNull("failed_rung");
    } else {
      o.put("failed_rung", failedRung);
    }
    ArrayNode r = o.putArray("rungs");
    for (Rung g : rungs) {
      ObjectNode n = r.addObject();
      n.put("epochs", g.epochs());
      number(n, "objective", g.objective());
      epoch(n, g.last());
      number(n, "seconds", g.seconds());
      n.put("attempt", g.attempt());
    }
    ArrayNode h = o.putArray("history");
    for (EpochResult e : history) {
      ObjectNode n = h.addObject();
      n.put("epoch", e.epoch());
      epoch(n, e);
      number(n, "lr", e.learningRate());
      number(n, "seconds", e.seconds());
    }
    return o;
  }

  /**
   * Restores what an earlier session recorded for this trial (its line of {@code trials.jsonl}, already matched
   * to it by id and config): rungs, history, totals and a failure. A step that was running is forgotten.
   * {@code budget} is the sweep's: a trial that reached it is complete.
   */
  void restore(JsonNode line, int budget) {
    for (JsonNode n : line.path("rungs")) {
      int epochs = n.path("epochs").asInt();
      rungs.add(new Rung(epochs, num(n, "objective"), epochResult(epochs, n), num(n, "seconds"),
          n.path("attempt").asInt()));
    }
    int reached = epochsReached();
    for (JsonNode n : line.path("history")) {
      EpochResult e = epochResult(n.path("epoch").asInt(), n);
      if (e.epoch() <= reached) {
        history.add(new EpochResult(e.epoch(), e.trainLoss(), e.valLoss(), e.valAccuracy(), num(n, "lr"),
            num(n, "seconds")));
      }
    }
    epochsTrained = line.path("epochs_trained").asInt();
    seconds = num(line, "seconds");
    if (line.path("status").asText().equals(Status.FAILED.json()) && line.hasNonNull("failed_rung")) {
      status = Status.FAILED;
      reason = line.path("reason").asText(null);
      failedRung = line.get("failed_rung").asInt();
    } else if (!rungs.isEmpty()) {
      status = reached == budget ? Status.COMPLETED : Status.PAUSED;
    }
  }

  /** Canonical JSON of the config keys this trial sets (to match a recorded line to a planned trial). */
  String configKey() {
    return canonical(object(trial.config()));
  }

  static String canonical(JsonNode n) {
    try {
      return JSON.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode object(java.util.Map<String, JsonNode> m) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    m.forEach(o::set);
    return o;
  }

  private static void epoch(ObjectNode n, EpochResult e) {
    number(n, "val_accuracy", e.valAccuracy());
    number(n, "val_loss", e.valLoss());
    number(n, "train_loss", e.trainLoss());
  }

  private static EpochResult epochResult(int epoch, JsonNode n) {
    return new EpochResult(epoch, num(n, "train_loss"), num(n, "val_loss"), num(n, "val_accuracy"), Double.NaN,
        Double.NaN);
  }

  private static void number(ObjectNode o, String key, double v) {
    if (Double.isFinite(v)) {
      o.put(key, v);
    } else {
      o.putNull(key);
    }
  }

  private static double num(JsonNode n, String key) {
    JsonNode v = n.get(key);
    return v != null && v.isNumber() ? v.doubleValue() : Double.NaN;
  }
}
