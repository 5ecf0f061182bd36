# storyreel-server with the built app, as one container.
#
#   docker build -t storyreel .
#   docker run -p 8080:8080 -e KLING_ACCESS_KEY=… -e KLING_SECRET_KEY=… \
#     -v storyreel-uploads:/srv/uploads storyreel
#
# The build uses the same tool versions `cargo xtask` installs (see README).

FROM rust:1.95-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
RUN rustup target add wasm32-unknown-unknown \
 && cargo install --locked trunk --version 0.21.14 \
 && cargo install wasm-bindgen-cli --version 0.2.130 \
 && npm install -g binaryen@132
WORKDIR /src
COPY . .
# The server the app talks to by default; empty means the page's own origin.
ARG STORYREEL_PROXY_URL=
RUN trunk build --release --offline \
 && cargo build --release --locked -p storyreel-server

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --home-dir /srv storyreel
COPY --from=build /src/target/release/storyreel-server /usr/local/bin/storyreel-server
COPY --from=build /src/dist /srv/dist
USER storyreel
WORKDIR /srv
EXPOSE 8080
# Keys come from the environment (KLING_ACCESS_KEY, KLING_SECRET_KEY,
# FAL_KEY, REPLICATE_API_TOKEN); without any, Kling is the simulator.
# Uploads go to /srv/uploads unless STORYREEL_UPLOAD_STORE (e.g.
# s3://bucket/prefix, with AWS_* keys) or --upload-store says otherwise.
ENV STORYREEL_UPLOAD_STORE=file:///srv/uploads
ENTRYPOINT ["storyreel-server", "serve", "--addr", "0.0.0.0", "--port", "8080", "--dist", "/srv/dist"]
