package io.sparknn.train.spark;

/**
 * What the driver sends a {@link ChannelSession}'s task for one iteration: the step of the schedule, the packed
 * weights and running statistics to start it from, and how many times this step has been restarted after a
 * lost channel (the attempt number an {@link InjectedFault} looks at).
 */
record ChannelRound(int epoch, int step, int attempt, byte[] weights) {}
