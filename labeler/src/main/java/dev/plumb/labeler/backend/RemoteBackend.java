package dev.plumb.labeler.backend;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * What the SDK-backed backends share: a provider's model reached with an API key, paid per call,
 * taking images, and the response format in use, which starts at {@code json_schema} and only ever
 * steps down ({@link Format#stepDown}) when a server refuses it. Subclasses build their SDK's request
 * and read its answer.
 */
abstract class RemoteBackend implements Backend {
  final String provider;
  final String model;
  final Secret key;
  final Duration timeout;
  final Consumer<String> notices;
  final AtomicReference<Format> format = new AtomicReference<>(Format.JSON_SCHEMA);

  RemoteBackend(String provider, String model, Secret key, Duration timeout, Consumer<String> notices) {
    this.provider = provider;
    this.model = model;
    this.key = key;
    this.timeout = timeout;
    this.notices = notices;
  }

  @Override
  public final String model() {
    return model;
  }

  @Override
  public final String provider() {
    return provider;
  }

  @Override
  public final boolean supportsImages() {
    return true;
  }

  @Override
  public final boolean remote() {
    return true;
  }

  @Override
  public final String responseFormat() {
    return format.get().wire;
  }
}
