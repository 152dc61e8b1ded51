# The two commands of the README:
#   make demo   private PostgreSQL + ClickHouse, migrations, ~20,000 demo deals, server on :8080
#   make test   every test, against real servers started by the project itself

GO       ?= go
BIN      := bin/voronka
PKGS     := ./...

.PHONY: demo test build vet fmt-check dev-up dev-down bench screenshots clean assets

build: assets
	$(GO) build -o $(BIN) ./cmd/voronka

# ECharts comes from the npm registry at build time and is embedded in the
# binary (dashboards/static/vendor/, git-ignored); pages never use a CDN.
ECHARTS_VERSION := 5.6.0
ECHARTS_JS      := dashboards/static/vendor/echarts.min.js

assets: $(ECHARTS_JS)

$(ECHARTS_JS):
	@tmp=$$(mktemp -d) && \
	(cd $$tmp && npm pack --silent echarts@$(ECHARTS_VERSION) >/dev/null && tar -xzf echarts-$(ECHARTS_VERSION).tgz package/dist/echarts.min.js) && \
	mkdir -p $(dir $(ECHARTS_JS)) && cp $$tmp/package/dist/echarts.min.js $(ECHARTS_JS) && rm -rf $$tmp && \
	echo "assets: echarts $(ECHARTS_VERSION) -> $(ECHARTS_JS)"

demo: build
	$(BIN) demo

test: assets vet fmt-check build
	$(BIN) dev up
	$(GO) test -count=1 -p 2 -timeout 20m $(PKGS)
	$(GO) test -run XXX -fuzz FuzzCompile -fuzztime 20s ./reports/

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

# Refresh the README's screenshots (headless Chromium over seeded demo data).
screenshots: assets
	$(BIN) dev up
	VORONKA_SCREENSHOTS=1 $(GO) test -count=1 -run TestBrowserDemo ./dashboards/

clean:
	rm -rf bin
