# The two commands of the README:
#   make demo   private PostgreSQL + ClickHouse, migrations, ~20,000 demo deals, server on :8080
#   make test   every test, against real servers started by the project itself

GO       ?= go
BIN      := bin/voronka
PKGS     := ./...

.PHONY: demo test build vet fmt-check dev-up dev-down bench clean

build:
	$(GO) build -o $(BIN) ./cmd/voronka

demo: build
	$(BIN) demo

test: vet fmt-check build
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

clean:
	rm -rf bin
