package dev.plumb.labeler.backend;

/**
 * A chat model behind one interface: the batch labeler's scheduler paces, retries and validates;
 * a backend only turns one {@link ModelRequest} into one {@link ModelReply} or one classified
 * {@link BackendException}. Backends never retry on their own (their SDKs are built with
 * {@code maxRetries(0)}), with one exception: when a server refuses the strict {@code json_schema}
 * response format, the backend switches to {@code json_object} (then plain text) for the rest of
 * its life and repeats the call, telling {@link #responseFormat()} and the notice listener.
 *
 * <p>Implementations are thread-safe: the scheduler calls {@link #call} from many threads.
 */
public interface Backend extends AutoCloseable {

  /** {@code openai}, {@code langchain4j} or {@code local}: what label records carry as {@code backend}. */
  String name();

  /** The model name as sent to the provider. */
  String model();

  /** The provider behind a multi-provider backend ({@code anthropic}, {@code gemini}), or the backend name. */
  String provider();

  /** Whether image parts reach the model; when not, the prompt's text stands in for images. */
  boolean supportsImages();

  /** Whether calls cost money and count against a provider's rate limits (false for local models). */
  boolean remote();

  /** The response format in use now: {@code json_schema}, {@code json_object} or {@code text}. */
  String responseFormat();

  /**
   * Sends one request and waits for the answer (bounded by the backend's timeout).
   *
   * @throws BackendException classified; never containing the API key
   */
  ModelReply call(ModelRequest request);

  /**
   * The provider's asynchronous batch endpoint behind this backend (docs/labeler.md, "Batch mode"),
   * or empty when plumb has none for it.
   */
  default java.util.Optional<BatchApi> batchApi() {
    return java.util.Optional.empty();
  }

  @Override
  void close();
}
