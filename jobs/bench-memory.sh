#!/usr/bin/env bash
# Driver heap and Spark storage memory while training the homework's MLP for ITERS iterations (default 2000) on
# local[2]: both should stay flat. jobs/bench-memory.sh [ITERS]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_jar
ensure_classpath
exec java -Xmx3g "${JAVA_FLAGS[@]}" -cp "$JAR:$CLASSPATH_DEPS" io.sparknn.bench.MemoryFootprint "$@"
