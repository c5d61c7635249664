package dev.plumb.labeler.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.plumb.core.Json;
import dev.plumb.labeler.backend.Backend;
import dev.plumb.labeler.backend.BackendSpec;
import dev.plumb.labeler.backend.Backends;
import dev.plumb.labeler.backend.Credentials;
import dev.plumb.labeler.backend.ModelReply;
import dev.plumb.labeler.backend.ModelRequest;
import dev.plumb.labeler.backend.RateLimits;
import dev.plumb.labeler.batch.BatchLabeler;
import dev.plumb.labeler.batch.LabelerConfig;
import dev.plumb.labeler.batch.LabelingPrompt;
import dev.plumb.labeler.batch.Notices;
import dev.plumb.labeler.batch.RunSummary;
import dev.plumb.labeler.policy.Policy;
import dev.plumb.labeler.policy.PolicyLibrary;
import dev.plumb.labeler.prompt.ChatMessage;
import dev.plumb.labeler.prompt.ModelParams;
import dev.plumb.labeler.prompt.PromptBundle;
import dev.plumb.labeler.prompt.PromptCompiler;
import dev.plumb.labeler.unit.Unit;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The batch labeler's throughput and memory benchmark (docs/benchmarks.md, "Batch labeler").
 * Run it with {@code bench/labeler.sh}. Prints Markdown.
 *
 * <ol>
 *   <li>5,000 units against {@link RateLimitedServer} (limits enforced per minute and per second,
 *       300-1500 ms latency): plumb, then a naive client (fixed concurrency, the OpenAI SDK's own
 *       retries, retry again after them) against a fresh server with the same limits;
 *   <li>the same with 5% of answers failing (500s, dropped connections, hangs past the timeout);
 *   <li>200,000 units through the batch pipeline in a JVM with {@code -Xmx256m}, the model replaced
 *       by an instant in-process stub, to show memory does not grow with the number of units.
 * </ol>
 */
public final class LabelBenchmark {
  private static final int UNITS = 5_000;
  private static final double RPM = 3_000;

  private LabelBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args.length > 1 ? args[1] : "..").toAbsolutePath().normalize();
    if (args.length > 0 && args[0].equals("memory")) {
      memory(root, Integer.parseInt(args[2]));
      return;
    }
    PolicyLibrary library = PolicyLibrary.load(root.resolve("policies"));
    List<Policy> policies = library.select(List.of("self_harm", "harassment"));
    PromptBundle bundle = PromptCompiler.compile(policies, root.resolve("prompts"), new ModelParams(0, 700));
    Path dir = Files.createTempDirectory("plumb-label-bench");
    Path units = writeUnits(dir.resolve("units.jsonl"), UNITS, 7);
    LabelingPrompt prompt = LabelingPrompt.of(bundle, dir);

    // what one request costs the server (characters / 4 + the output cap): set TPM so tokens bind
    Unit sample = dev.plumb.labeler.unit.Units.readAll(units).get(0);
    long chars = 0;
    for (ChatMessage m : prompt.render(sample, true).messages()) {
      chars += m.text().length();
    }
    long cost = (chars + 3) / 4 + 700;
    double tpm = Math.round(RPM * 0.8 * cost / 1000.0) * 1000.0; // tokens bind at about 80% of RPM

    warmUp(policies, prompt, dir);
    System.out.println("## Batch labeler");
    System.out.println();
    System.out.printf(Locale.ROOT, "Limits: %,.0f requests/min and %,.0f tokens/min (a request is charged ~%,d tokens:"
        + " characters / 4 + the 700-token output cap, so tokens bind at ~%,.0f requests/min). Latency 300-1500 ms."
        + " %,d units, 2 policies in one prompt.%n%n", RPM, tpm, cost, tpm / cost, UNITS);
    System.out.println("| run | client | wall | labels ok / invalid / failed | requests | 429s | 429 share |"
        + " sustained rate (middle 80%) | of binding limit |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    for (double failure : new double[] {0.0, 0.05}) {
      String name = failure == 0 ? "steady" : "5% failing";
      try (RateLimitedServer server = new RateLimitedServer(RPM, tpm, failure, 12_000, answers(policies))) {
        Path out = dir.resolve("labels-" + (failure == 0 ? "a" : "b") + ".jsonl");
        Notices notices = new Notices();
        try (Backend backend = Backends.create(
            new BackendSpec("openai", null, "gpt-4o-mini", server.baseUrl(), Duration.ofSeconds(10), 160),
            Credentials.of(Map.of("OPENAI_API_KEY", "bench"), null), notices)) {
          long t0 = System.nanoTime();
          RunSummary s = BatchLabeler.run(LabelerConfig.builder()
              .units(units).out(out).prompt(prompt).backend(backend).baseUrl(server.baseUrl())
              .maxConcurrency(160).maxAttempts(8).notices(notices).build());
          row(name, "plumb", server, System.nanoTime() - t0, s.counts().ok() + " / " + s.counts().invalid() + " / "
              + s.counts().failed() + (s.counts().missing() > 0 ? " (" + s.counts().missing() + " missing)" : ""),
              tpm, cost);
        }
      }
      try (RateLimitedServer server = new RateLimitedServer(RPM, tpm, failure, 12_000, answers(policies))) {
        long t0 = System.nanoTime();
        long[] result = naive(server.baseUrl(), prompt, units, 128);
        row(name, "naive (128 threads, SDK retries)", server, System.nanoTime() - t0,
            result[0] + " answered / - / " + result[1], tpm, cost);
      }
    }
    System.out.println();
    System.out.println("plumb: --concurrency 160 (adaptive), limits learned from headers (no --rpm/--tpm given), timeout 10 s,"
        + " 8 attempts. Naive: 128 threads, OpenAI SDK with its default 2 retries (it waits retry-after, capped at 8 s),"
        + " then the thread retries again at once; other errors retried up to 8 times.");
    System.out.println();

    // memory: a child JVM with a 256 MB heap
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        LabelBenchmark.class.getName(), "memory", root.toString(), "200000")
        .inheritIO().start();
    int code = p.waitFor();
    if (code != 0) {
      System.out.println("memory run failed with exit code " + code);
    }
  }

  /** JIT warm-up (JVM benchmarking practice): 300 units through both clients against an unlimited server. */
  private static void warmUp(List<Policy> policies, LabelingPrompt prompt, Path dir) throws Exception {
    Path units = writeUnits(dir.resolve("warmup.jsonl"), 300, 99);
    try (RateLimitedServer server = new RateLimitedServer(1e7, 1e12, 0, 0, answers(policies))) {
      Notices notices = new Notices();
      try (Backend backend = Backends.create(
          new BackendSpec("openai", null, "gpt-4o-mini", server.baseUrl(), Duration.ofSeconds(30), 64),
          Credentials.of(Map.of("OPENAI_API_KEY", "bench"), null), notices)) {
        BatchLabeler.run(LabelerConfig.builder().units(units).out(dir.resolve("warmup.jsonl.labels")).prompt(prompt)
            .backend(backend).maxConcurrency(64).notices(notices).build());
      }
      naive(server.baseUrl(), prompt, units, 64);
    }
  }

  private static void row(String name, String client, RateLimitedServer server, long wallNanos, String labels,
      double tpm, long cost) {
    long[] times = server.acceptedTimes();
    double rate = 0;
    if (times.length > 10) {
      int a = times.length / 10;
      int b = times.length - 1 - times.length / 10;
      rate = (b - a) / ((times[b] - times[a]) / 6e10);
    }
    double avgCharge = times.length == 0 ? cost : (double) server.chargedTokens.get() / times.length;
    double binding = Math.min(RPM, tpm / avgCharge);
    System.out.printf(Locale.ROOT, "| %s | %s | %.0f s | %s | %,d | %,d | %.2f%% | %,.0f req/min | %.1f%% |%n",
        name, client, wallNanos / 1e9, labels, server.total.get(), server.rejected.get(),
        100.0 * server.rejected.get() / Math.max(1, server.total.get()), rate, 100 * rate / binding);
  }

  /** Fixed concurrency, the SDK's retries, then retry again: what a quick script does. */
  private static long[] naive(String baseUrl, LabelingPrompt prompt, Path unitsFile, int threads) throws Exception {
    OpenAIClient client = OpenAIOkHttpClient.builder().apiKey("bench").baseUrl(baseUrl)
        .timeout(Duration.ofSeconds(10)).maxIdleConnections(threads).keepAliveDuration(Duration.ofMinutes(1)).build();
    ConcurrentLinkedQueue<Unit> queue = new ConcurrentLinkedQueue<>(dev.plumb.labeler.unit.Units.readAll(unitsFile));
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(() -> {
        for (Unit u; (u = queue.poll()) != null; ) {
          ChatCompletionCreateParams.Builder p = ChatCompletionCreateParams.builder().model("gpt-4o-mini")
              .maxCompletionTokens(700);
          for (ChatMessage m : prompt.render(u, true).messages()) {
            if (m.role() == ChatMessage.Role.SYSTEM) {
              p.addSystemMessage(m.text());
            } else {
              p.addUserMessage(m.text());
            }
          }
          ChatCompletionCreateParams params = p.build();
          int errors = 0;
          while (true) {
            try {
              client.chat().completions().create(params);
              ok.incrementAndGet();
              break;
            } catch (RateLimitException e) {
              // the SDK already waited and retried: try again
            } catch (RuntimeException e) {
              if (++errors >= 8) {
                failed.incrementAndGet();
                break;
              }
            }
          }
        }
      });
      t.start();
      workers.add(t);
    }
    for (Thread t : workers) {
      t.join();
    }
    client.close();
    return new long[] {ok.get(), failed.get()};
  }

  private static java.util.function.Function<JsonNode, String> answers(List<Policy> policies) {
    return req -> {
      ObjectNode answer = Json.object();
      JsonNode asked = req.at("/response_format/json_schema/schema/properties");
      for (Policy p : policies) {
        if (!asked.isMissingNode() && !asked.has(p.id())) {
          continue;
        }
        ObjectNode a = answer.putObject(p.id());
        a.put("rationale", "No rule of the policy applies to this unit.");
        a.putArray("evidence");
        a.put("decision", p.decisions().stream().filter(d -> !d.positive()).findFirst().orElseThrow().id());
        a.putNull("category");
        a.put("confidence", 0.83);
      }
      return Json.line(answer);
    };
  }

  static Path writeUnits(Path file, int n, long seed) throws IOException {
    Random r = new Random(seed);
    String[] words = {"search", "garden", "recipe", "tired", "hope", "paint", "quiet", "travel", "ideas", "help",
        "morning", "workout", "poem", "craft", "winter", "healing", "journal", "bright", "story", "friends"};
    try (BufferedWriter w = Files.newBufferedWriter(file)) {
      for (int i = 1; i <= n; i++) {
        ObjectNode u = Json.object();
        u.put("id", "u-" + i);
        u.put("weight", 1 + r.nextInt(50));
        var comps = u.putArray("components");
        comps.addObject().put("id", "query").put("kind", "query").put("text", text(r, words, 2 + r.nextInt(5)));
        comps.addObject().put("id", "response").put("kind", "response").put("text", text(r, words, 10 + r.nextInt(60)));
        w.write(Json.line(u));
        w.write('\n');
      }
    }
    return file;
  }

  private static String text(Random r, String[] words, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : " ").append(words[r.nextInt(words.length)]);
    }
    return sb.toString();
  }

  /** 200,000 units through the whole pipeline in a small heap; the model is an instant stub. */
  private static void memory(Path root, int n) throws Exception {
    PolicyLibrary library = PolicyLibrary.load(root.resolve("policies"));
    List<Policy> policies = library.select(List.of("self_harm", "harassment"));
    PromptBundle bundle = PromptCompiler.compile(policies, root.resolve("prompts"), new ModelParams(0, 700));
    Path dir = Files.createTempDirectory("plumb-label-memory");
    Path units = writeUnits(dir.resolve("units.jsonl"), n, 11);
    var answer = answers(policies);
    Backend stub = new Backend() {
      public String name() { return "openai"; }
      public String model() { return "stub"; }
      public String provider() { return "openai"; }
      public boolean supportsImages() { return true; }
      public boolean remote() { return false; }
      public String responseFormat() { return "json_schema"; }
      public ModelReply call(ModelRequest request) {
        ObjectNode req = Json.object();
        req.putObject("response_format").putObject("json_schema").set("schema", request.schema());
        return new ModelReply(answer.apply(req), null, false, 1000, 80, RateLimits.NONE, "json_schema");
      }
      public void close() {}
    };
    long[] peak = {0};
    Thread sampler = new Thread(() -> {
      List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
      while (!Thread.currentThread().isInterrupted()) {
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        peak[0] = Math.max(peak[0], used);
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    sampler.setDaemon(true);
    sampler.start();
    long[] live = new long[3]; // after a full GC at 25%, 50% and 75% of the run
    long t0 = System.nanoTime();
    RunSummary s = BatchLabeler.run(LabelerConfig.builder().units(units).out(dir.resolve("labels.jsonl"))
        .prompt(LabelingPrompt.of(bundle, dir)).backend(stub).maxConcurrency(8)
        .listener(new dev.plumb.labeler.batch.ProgressListener() {
          @Override
          public void progress(dev.plumb.labeler.batch.Progress p) {
            for (int i = 0; i < 3; i++) {
              if (live[i] == 0 && p.done() >= p.total() * (i + 1) / 4) {
                System.gc();
                live[i] = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
              }
            }
          }
        }).build());
    double wall = (System.nanoTime() - t0) / 1e9;
    sampler.interrupt();
    long lines;
    try (var l = Files.lines(dir.resolve("labels.jsonl"))) {
      lines = l.count();
    }
    System.out.printf(Locale.ROOT, "Memory: %,d units (%,d labels) in a JVM with -Xmx256m (max heap %,d MB): %s in %.0f s"
            + " (%,.0f labels/s, in-process stub model); %,d records in the file; peak heap used %,d MB; live heap"
            + " after a full GC at 25%% / 50%% / 75%% of the run: %,d / %,d / %,d MB; units file %,d MB.%n",
        n, 2L * n, Runtime.getRuntime().maxMemory() >> 20, s.outcome(), wall, s.progress().done() / wall, lines,
        peak[0] >> 20, live[0] >> 20, live[1] >> 20, live[2] >> 20, Files.size(units) >> 20);
    Files.walk(dir).sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
  }
}
