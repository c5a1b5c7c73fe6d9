# Developer entry points; `make` alone lists them.
# Needs only a JDK 21+ and make (plus curl, wget or the JDK itself to fetch Maven
# once): ./mvnw brings Maven 3.9.11, bin/java-env.sh finds the JDK even when the
# default java is older, and exports it as JAVA_HOME for mvnw.

SHELL := /bin/sh
.DEFAULT_GOAL := help
.PHONY: help build run test clean

# Extra Maven arguments, e.g. make test MVN_ARGS='-pl server -am'
MVN_ARGS ?=
# Extra gateway arguments for `make run`
RUN_ARGS ?=

MVNW = . bin/java-env.sh && ./mvnw -B

help:
	@echo 'Targets:'
	@echo '  build  package everything, skipping tests (bin/gateway and bin/gatewayctl then run)'
	@echo '  run    build, then start the gateway in development mode'
	@echo '         (embedded Redis, fixed dev JWT secret; extra arguments in RUN_ARGS)'
	@echo '  test   unit tests, then integration tests against the packaged jars (mvnw verify)'
	@echo '  clean  delete build output'
	@echo 'Variables: MVN_ARGS (extra Maven arguments), JAVA_HOME (a JDK 21+ to prefer),'
	@echo '           AOT=off (build: skip the JDK 25+ ahead-of-time training run)'

# On JDK 25+ the build ends with a short training run of the gateway (about 20 s) that writes its
# ahead-of-time cache, server/target/gateway.aot: bin/gateway then starts warm (docs/DESIGN.md, "Warm-up").
# A failed training run costs only the cache, never the build. AOT=off skips it.
AOT ?= on

build:
	$(MVNW) -q package -DskipTests $(MVN_ARGS)
	@if [ "$(AOT)" != off ]; then \
	  bin/gateway --aot-training > server/target/aot-training.log 2>&1 \
	    || echo "warning: the ahead-of-time training run failed (server/target/aot-training.log); bin/gateway starts without its cache"; \
	fi

run: build
	GATEWAY_DEV_MODE=true bin/gateway $(RUN_ARGS)

test:
	$(MVNW) verify $(MVN_ARGS)

clean:
	$(MVNW) -q clean $(MVN_ARGS)
