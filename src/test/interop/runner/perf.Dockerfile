# weft's perf test app for unified-testing's perf runner: `weft interop perf` (src/main/java/weft/cli/runner).
# Configured by environment variables only (IS_DIALER, REDIS_ADDR, TEST_KEY, TRANSPORT, SECURE_CHANNEL, MUXER,
# LISTENER_IP; the dialer also UPLOAD_BYTES, DOWNLOAD_BYTES, UPLOAD_ITERATIONS, DOWNLOAD_ITERATIONS,
# LATENCY_ITERATIONS). See README.md in this folder.
#
# Build from the repository root:
#   docker build -f src/test/interop/runner/perf.Dockerfile -t weft-perf .
# Not built in CI (no Docker engine there).

FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
COPY pom.xml .
COPY src/main ./src/main
RUN mvn -B -q package -Dmaven.test.skip=true -Dmaven.javadoc.skip=true -Dmaven.source.skip=true

FROM eclipse-temurin:25-jre
COPY --from=build /src/target/weft.jar /app/weft.jar
ENTRYPOINT ["java", "--enable-native-access=ALL-UNNAMED", "-jar", "/app/weft.jar", "interop", "perf"]
