# syntax=docker/dockerfile:1
#
# The expense-server image: one binary, every role (DESIGN.md §3). Built and
# pushed by `cargo xtask images --tag <git sha>`; see docs/deploying.md.
#
#   chef     Rust toolchain plus cargo-chef, on Debian bookworm
#   planner  reduces the workspace to recipe.json (manifests and lock file)
#   builder  compiles the dependencies from the recipe alone (a layer that is
#            rebuilt only when Cargo.toml/Cargo.lock change), then the server
#   runtime  distroless cc (glibc, CA certificates, no shell), uid 65532

FROM lukemathwalker/cargo-chef:0.1.77-rust-1.95.0-bookworm AS chef
WORKDIR /app

FROM chef AS planner
COPY . .
RUN cargo chef prepare --recipe-path recipe.json --bin expense-server

FROM chef AS builder
COPY --from=planner /app/recipe.json recipe.json
RUN cargo chef cook --release --locked --recipe-path recipe.json --bin expense-server -p expense-server
COPY . .
RUN cargo build --release --locked --bin expense-server -p expense-server \
    && install -D -m 0755 target/release/expense-server /out/expense-server

FROM gcr.io/distroless/cc-debian12:nonroot AS runtime
ARG VERSION=dev
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="expense-server" \
      org.opencontainers.image.description="Expense tracker backend: auth, expenses, receipts and notifications services in one binary; the role is the first argument" \
      org.opencontainers.image.source="https://github.com/expense-tracker/expense-tracker" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.base.name="gcr.io/distroless/cc-debian12:nonroot" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}"
COPY --from=builder --chown=0:0 /out/expense-server /usr/local/bin/expense-server
ENV EXPENSE_BIND_ADDR=0.0.0.0:8080 \
    EXPENSE_LOG_FORMAT=json
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/expense-server"]
CMD ["all"]
