# storybot: one static binary with the default story built in.
#   docker build -t storybot .
#   docker run --rm storybot ask "Why might South Korea send weapons to Ukraine?"
#   docker run -d -e STORYBOT_DISCORD_TOKEN=… -v storybot-data:/data storybot serve
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/storybot ./cmd/storybot \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/storybot /storybot
COPY --from=build --chown=65532:65532 /out/data /data
ENV STORYBOT_DATA_DIR=/data
VOLUME /data
ENTRYPOINT ["/storybot"]
CMD ["serve"]
