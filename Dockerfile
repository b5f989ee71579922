# syntax=docker/dockerfile:1
# odoo-mail-watchdog as a container (a sidecar beside Odoo: deploy/kubernetes/).
#
#   docker build -t odoo-mail-watchdog .
#   docker run --read-only --tmpfs /tmp -p 9464:9464 \
#     -v "$PWD/watchdog.conf:/etc/odoo-mail-watchdog/watchdog.conf:ro" \
#     -v odoo-mail-watchdog-state:/var/lib/odoo-mail-watchdog odoo-mail-watchdog
#
# The config must bind the HTTP endpoints to all interfaces (http { bind = "0.0.0.0" }): the default,
# 127.0.0.1, is unreachable from outside the container, for probes and Prometheus alike.

# ---- build: the shaded jar, target/odoo-mail-watchdog.jar ----
FROM maven:3-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml ./
COPY src ./src
# The cache mount keeps ~/.m2 between builds (BuildKit); the tests run in CI, not here.
RUN --mount=type=cache,target=/root/.m2 mvn -B -ntp -DskipTests package

# ---- runtime: a JRE, the jar, nothing else ----
# eclipse-temurin:17-jre rather than a jlink'd runtime: see README.md, "Run as a sidecar".
FROM eclipse-temurin:17-jre

# A numeric, non-root user (Kubernetes' runAsNonRoot can only verify a numeric USER), with a passwd
# entry so that the JVM knows its user name and home.
RUN groupadd --system --gid 10001 odoo-mail-watchdog \
 && useradd --system --uid 10001 --gid 10001 --no-create-home \
      --home-dir /var/lib/odoo-mail-watchdog --shell /usr/sbin/nologin odoo-mail-watchdog \
 && mkdir -p /etc/odoo-mail-watchdog /var/lib/odoo-mail-watchdog \
 && chown 10001:10001 /var/lib/odoo-mail-watchdog \
 && chmod 0700 /var/lib/odoo-mail-watchdog

COPY --from=build /build/target/odoo-mail-watchdog.jar /opt/odoo-mail-watchdog/odoo-mail-watchdog.jar

# The heap and JIT settings of this shape, in this one place; override with -e JAVA_OPTS=... or a
# Kubernetes env entry.
ENV JAVA_OPTS="-Xmx64m -Xss512k -XX:+UseSerialGC -XX:MaxMetaspaceSize=64m -XX:ReservedCodeCacheSize=32m -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError"
# state-dir = "" resolves to $STATE_DIRECTORY (the name systemd uses), so a config that leaves it
# empty keeps its journal on the volume. The JVM writes nowhere else but /tmp (hsperfdata, optional:
# it runs with /tmp read-only too), so the root filesystem can be read-only.
ENV STATE_DIRECTORY=/var/lib/odoo-mail-watchdog
VOLUME ["/var/lib/odoo-mail-watchdog"]
WORKDIR /var/lib/odoo-mail-watchdog

USER 10001:10001
EXPOSE 9464

# No HEALTHCHECK: Kubernetes ignores it (it probes /healthz and /readyz itself), the image has no HTTP
# client to run one with, and a JVM started every interval to make one request would cost more memory
# than the watchdog. Plain Docker: docker run --health-cmd with a client of your own.

# Exec form. The shell only expands $JAVA_OPTS, then exec replaces itself with java, so the JVM is
# PID 1 and receives SIGTERM itself (it drains running jobs, up to 30 s: keep the stop timeout above).
# CMD holds the arguments, so "docker run IMAGE -c /other.conf check" runs another command.
ENTRYPOINT ["/bin/sh", "-c", "exec java $JAVA_OPTS -jar /opt/odoo-mail-watchdog/odoo-mail-watchdog.jar \"$@\"", "odoo-mail-watchdog"]
CMD ["-c", "/etc/odoo-mail-watchdog/watchdog.conf", "--log-format", "json", "run"]
