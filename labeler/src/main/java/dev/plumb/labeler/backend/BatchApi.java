package dev.plumb.labeler.backend;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A provider's asynchronous batch endpoint: upload a file of requests, create a batch over it,
 * poll it, and read its output and error files. Half price and a 24-hour completion window at
 * OpenAI. Every method is one HTTP exchange (no retries of its own) and throws a classified
 * {@link BackendException} that never contains the API key.
 */
public interface BatchApi {

  /** The completion window every batch is created with. */
  String COMPLETION_WINDOW = "24h";

  /**
   * Uploads one input file: one line per request, {@code custom_id} = the map's key, {@code body}
   * = exactly what a synchronous call would send.
   *
   * @param fileName the uploaded file's name (never a secret; plumb uses the submission id)
   * @return the provider's file id
   */
  String upload(String fileName, Map<String, ModelRequest> requests);

  /**
   * Creates a batch over an uploaded file with a {@value #COMPLETION_WINDOW} window, tagged with
   * {@code submission} (so {@link #find} can recover it after a crash between this call and the
   * caller recording the id).
   *
   * @return the batch id
   */
  String create(String inputFileId, String submission);

  /** The batch created with tag {@code submission}, if the provider still lists it. */
  Optional<String> find(String submission);

  /** The batch's state now. */
  Status status(String batchId);

  /** Asks the provider to cancel a batch (answers already made stay in its output file). */
  void cancel(String batchId);

  /**
   * The lines of an output or error file, keyed by {@code custom_id}. {@code customIds} are the ids
   * the batch was created with, in the order they were submitted (as {@link #upload} received them):
   * a provider whose lines carry their {@code custom_id} ignores them, one that answers by position
   * maps its lines back through them. A line that cannot be matched to its request is left out, so
   * the caller treats it as unanswered.
   */
  Map<String, Result> results(String fileId, List<String> customIds);

  /** The most requests one batch may hold. */
  default int maxRequests() {
    return 50_000;
  }

  /**
   * The most bytes of request bodies one batch may hold (as plumb estimates them: the messages'
   * text, image URLs and the schema), below the provider's limit with room for the JSON around them.
   */
  default long maxBytes() {
    return 150L << 20; // OpenAI's input file limit is 200 MB
  }

  /**
   * A batch's state.
   *
   * @param state the provider's status in lower case: {@code validating}, {@code in_progress},
   *     {@code finalizing}, {@code completed}, {@code failed}, {@code expired}, {@code cancelling},
   *     {@code cancelled}
   * @param outputFileId answered lines, or null
   * @param errorFileId lines that failed, or null
   * @param errors why the provider failed the whole batch (file validation), or empty
   */
  record Status(String id, String state, long total, long completed, long failed, String outputFileId,
      String errorFileId, List<String> errors) {
    public Status {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(state, "state");
      errors = List.copyOf(errors);
    }

    /** Whether the batch will not change any more (its files, if any, are final). */
    public boolean terminal() {
      return switch (state) {
        case "completed", "failed", "expired", "cancelled" -> true;
        default -> false;
      };
    }
  }

  /** One line of an output or error file. */
  sealed interface Result {
    /** The server answered the request (status 200): the reply goes through the same checks as a call's. */
    record Answered(ModelReply reply) implements Result {
      public Answered {
        Objects.requireNonNull(reply, "reply");
      }
    }

    /**
     * The request was not answered.
     *
     * @param retryable whether asking again may help (5xx, 429, an expired or cancelled batch);
     *     false for a request the server rejects (other 4xx)
     * @param message why, naming the status or code, without the key
     */
    record Failed(boolean retryable, String message) implements Result {
      public Failed {
        Objects.requireNonNull(message, "message");
      }
    }
  }
}
