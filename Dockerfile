# Voronka in a container: build the one binary, run it on a slim Debian.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /out/voronka ./cmd/voronka

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* && useradd --system --home /var/lib/voronka voronka
COPY --from=build /out/voronka /usr/local/bin/voronka
USER voronka
WORKDIR /var/lib/voronka
ENV VORONKA_HTTP_ADDR=0.0.0.0:8080 VORONKA_EXPORT_DIR=/var/lib/voronka/exports
EXPOSE 8080
ENTRYPOINT ["voronka"]
CMD ["serve"]
