# vqclip: multi-stage image. Build: docker build -t vqclip .   Run: docker run -v $PWD/models:/app/models -v $PWD/data:/app/data vqclip serve
# CUDA variant: build with --build-arg RUNTIME_BASE=nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04 and run with
# -e PYTORCH_FLAVOR=cu128 (DJL then fetches the CUDA libtorch 2.7.1 into its cache on first start, when online).
ARG RUNTIME_BASE=eclipse-temurin:17-jre

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
COPY config ./config
RUN mvn -B -q -DskipTests package

FROM ${RUNTIME_BASE}
WORKDIR /app
COPY --from=build /src/target/vqclip.jar /app/target/vqclip.jar
COPY --from=build /src/target/lib /app/target/lib
COPY config /app/config
# Pre-warm the DJL engine cache (unpacks the bundled CPU libtorch once, at build time).
ENV DJL_CACHE_DIR=/app/.djl.ai
RUN java -Dai.djl.offline=true -jar /app/target/vqclip.jar engine-info || true
VOLUME ["/app/models", "/app/data"]
ENTRYPOINT ["java", "-Dai.djl.offline=true", "-jar", "/app/target/vqclip.jar"]
CMD ["serve"]
