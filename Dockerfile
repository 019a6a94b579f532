# vqclip: multi-stage image that runs `vqclip serve`, with models/ and data/ as volumes.
#   CPU:  docker build --target cpu  -t vqclip .      docker run -p 8080:8080 -v "$PWD/models:/app/models" -v "$PWD/data:/app/data" -e DISCORD_TOKEN vqclip
#   CUDA: docker build --target cuda -t vqclip:cuda . docker run --gpus all -v ... vqclip:cuda serve --device gpu
# The CUDA image sets PYTORCH_FLAVOR=cu128; DJL fetches the CUDA libtorch 2.7.1 into its cache during the build's
# pre-warm step (the build has network access; the running container needs none).

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
COPY config ./config
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre AS cpu
# ffmpeg (with libx264) makes timelapses MP4/H.264; without it they are animated GIFs. jemalloc is the native
# allocator, as the launcher picks it (docs/configuration.md: about 0.8 GiB less peak memory at 256x256).
RUN apt-get update \
    && apt-get install -y --no-install-recommends ffmpeg libjemalloc2 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/target/vqclip.jar /app/target/vqclip.jar
COPY --from=build /src/target/lib /app/target/lib
COPY config /app/config
COPY scripts/quiet-nnpack.pl /app/scripts/quiet-nnpack.pl
ENV DJL_CACHE_DIR=/app/.djl.ai LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 MALLOC_CONF=oversize_threshold:0 \
    TORCH_CPP_LOG_LEVEL=ERROR
# Pre-warm: unpack the bundled CPU libtorch into the DJL cache once, at build time (fails the build if it cannot).
RUN java -Dai.djl.offline=true -jar /app/target/vqclip.jar engine-info
VOLUME ["/app/models", "/app/data"]
# The web face (gallery, queue, /healthz, /readyz, /metrics); inside a container it must listen beyond loopback.
EXPOSE 8080
# /healthz answers while the process is up; bash's /dev/tcp needs no curl in the image.
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /healthz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -1 <&3 | grep -q ' 200 '"]
# stderr through the NNPACK filter, as ./vqclip does; exec keeps java the process that gets docker's SIGTERM
ENTRYPOINT ["bash", "-c", "exec java -Dai.djl.offline=true -jar /app/target/vqclip.jar \"$@\" 2> >(exec perl /app/scripts/quiet-nnpack.pl >&2)", "vqclip"]
CMD ["serve", "--web-bind", "0.0.0.0"]

FROM nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04 AS cuda
RUN apt-get update \
    && apt-get install -y --no-install-recommends openjdk-17-jre-headless=17.* ffmpeg \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/target/vqclip.jar /app/target/vqclip.jar
COPY --from=build /src/target/lib /app/target/lib
COPY config /app/config
COPY scripts/quiet-nnpack.pl /app/scripts/quiet-nnpack.pl
ENV DJL_CACHE_DIR=/app/.djl.ai PYTORCH_FLAVOR=cu128 TORCH_CPP_LOG_LEVEL=ERROR
# Pre-warm: DJL downloads the cu128 libtorch matching pytorch-jni 2.7.1 into the cache (network needed only here).
RUN java -jar /app/target/vqclip.jar engine-info
VOLUME ["/app/models", "/app/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /healthz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -1 <&3 | grep -q ' 200 '"]
# stderr through the NNPACK filter, as ./vqclip does; exec keeps java the process that gets docker's SIGTERM
ENTRYPOINT ["bash", "-c", "exec java -Dai.djl.offline=true -jar /app/target/vqclip.jar \"$@\" 2> >(exec perl /app/scripts/quiet-nnpack.pl >&2)", "vqclip"]
CMD ["serve", "--device", "gpu", "--web-bind", "0.0.0.0"]
