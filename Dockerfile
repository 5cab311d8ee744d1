# storybot: one static binary with the default story built in, on a
# distroless image (no shell, no package manager), running as uid 65532.
#   docker build --build-arg VERSION=$(git describe --tags --always --dirty) -t storybot .
#   docker run --rm storybot ask "Why might South Korea send weapons to Ukraine?"
#   docker run -d -e STORYBOT_DISCORD_TOKEN -v storybot-data:/data storybot
# The README's Docker section has the rest (HTTP mode, bind mounts, compose).
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=
# .ci/build is the build command, the one .ci/run checks: CGO_ENABLED=0,
# -trimpath, -ldflags "-s -w -X main.version=$VERSION".
RUN sh .ci/build /out/storybot "$VERSION" && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/storybot /storybot
COPY --from=build --chown=65532:65532 /out/data /data
ENV STORYBOT_DATA_DIR=/data \
    STORYBOT_HTTP_ADDR=:8080
VOLUME /data
EXPOSE 8080
USER nonroot
# /healthz answers from the start, while the index is built, so no long
# start period is needed; /readyz (not used here) says when it can answer.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["/storybot", "healthcheck"]
ENTRYPOINT ["/storybot"]
CMD ["serve"]
