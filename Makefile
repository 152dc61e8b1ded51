# The two commands of the README:
#   make demo   private PostgreSQL + ClickHouse, migrations, ~20,000 demo deals, server on :8080
#   make test   every test, against real servers started by the project itself

GO       ?= go
BIN      := bin/voronka
PKGS     := ./...

.PHONY: demo test build vet fmt-check dev-up dev-down bench screenshots clean assets chdb conformance

build: assets
	$(GO) build -o $(BIN) ./cmd/voronka

# ECharts comes from the npm registry at build time and is embedded in the
# binary (dashboards/pages/static/vendor/, git-ignored); pages never use a CDN.
ECHARTS_VERSION := 5.6.0
ECHARTS_JS      := dashboards/pages/static/vendor/echarts.min.js

assets: $(ECHARTS_JS)

$(ECHARTS_JS):
	@tmp=$$(mktemp -d) && \
	(cd $$tmp && npm pack --silent echarts@$(ECHARTS_VERSION) >/dev/null && tar -xzf echarts-$(ECHARTS_VERSION).tgz package/dist/echarts.min.js) && \
	mkdir -p $(dir $(ECHARTS_JS)) && cp $$tmp/package/dist/echarts.min.js $(ECHARTS_JS) && rm -rf $$tmp && \
	echo "assets: echarts $(ECHARTS_VERSION) -> $(ECHARTS_JS)"

# chDB (ClickHouse 26.x as a library) comes from the npm registry too, for
# the conformance suite only (docs/clickhouse-versions.md); never committed.
CHDB_VERSION := 26.5.3
CHDB_LIB     := var/chdb/libchdb.so

chdb: $(CHDB_LIB)

$(CHDB_LIB):
	@tmp=$$(mktemp -d) && \
	(cd $$tmp && npm pack --silent @chdb/lib-linux-x64-gnu@$(CHDB_VERSION) >/dev/null && tar -xzf chdb-lib-linux-x64-gnu-$(CHDB_VERSION).tgz package/libchdb.so) && \
	mkdir -p $(dir $(CHDB_LIB)) && mv $$tmp/package/libchdb.so $(CHDB_LIB) && rm -rf $$tmp && \
	echo "chdb: @chdb/lib-linux-x64-gnu $(CHDB_VERSION) -> $(CHDB_LIB)"

# Every ClickHouse statement on 18.16 (dev server) and on chDB's 26.x.
CONFORMANCE_PKGS := ./internal/chdb/ ./olap/ ./reports/engine/ ./ingest/

conformance: $(CHDB_LIB)
	$(GO) vet -tags chdb $(CONFORMANCE_PKGS)
	$(GO) test -tags chdb -count=1 -timeout 10m ./internal/chdb/
	$(GO) test -tags chdb -count=1 -timeout 10m -run Conformance ./olap/ ./reports/engine/ ./ingest/

demo: build
	$(BIN) demo

# The suites that run again on the local cluster (docs/cluster.md), the
# longest first: two at a time, the report engine's (about 11 minutes on
# the cluster) then runs beside ingest and olap, not after them.
CLUSTER_PKGS := ./reports/engine/ ./ingest/ ./olap/

test: assets vet fmt-check build
	$(BIN) dev up --cluster
	$(GO) test -count=1 -p 2 -timeout 20m $(PKGS)
	VORONKA_TEST_CLUSTER=1 $(GO) test -count=1 -p 2 -timeout 20m $(CLUSTER_PKGS)
	# a count, not a duration: a -fuzztime duration races the fuzzing
	# coordinator's own deadline on a loaded machine (golang/go#75804)
	$(GO) test -run XXX -fuzz FuzzCompile -fuzztime 20000x ./reports/engine/
	@if [ -f $(CHDB_LIB) ]; then $(MAKE) --no-print-directory conformance; \
	else echo "conformance suite not run: $(CHDB_LIB) missing (make chdb fetches it)"; fi

vet:
	$(GO) vet $(PKGS)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt wants to rewrite:"; echo "$$out"; exit 1; fi

dev-up: build
	$(BIN) dev up

dev-down: build
	$(BIN) dev down

# Benchmarks (figures go to BENCHMARKS.md); see bench/README.md.
bench: build
	$(BIN) dev up
	$(GO) test ./bench/ -run XXX -bench . -benchtime 1x -timeout 60m

# Refresh the README's and docs' screenshots (headless Chromium over seeded
# demo data; the drill, comparison, alerts, schedules, rates, merge and
# stale-deals pages over their tests' fixtures).
screenshots: assets
	$(BIN) dev up
	VORONKA_SCREENSHOTS=1 $(GO) test -count=1 -run 'TestBrowserDemo|TestBrowserAlerts|TestBrowserSchedules' ./dashboards/
	VORONKA_SCREENSHOTS=1 $(GO) test -count=1 -run 'TestBrowserDrill|TestBrowserActivityCompare|TestBrowserRates|TestBrowserDealMerge|TestBrowserStaleDeals' ./dashboards/pages/

clean:
	rm -rf bin
