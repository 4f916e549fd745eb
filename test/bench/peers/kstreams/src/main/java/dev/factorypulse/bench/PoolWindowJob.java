package dev.factorypulse.bench;

import java.io.File;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Per-pool 1-minute tumbling windows over Avro single-object build events: finished count, failed
 * count, duration p50/p95 from a log-bucket sketch (the DDSketch mapping, 1% relative accuracy).
 * Input records are keyed by pool (as Pulse producers key them), so no repartitioning is needed.
 * Args: bootstrap topic schemaFile expectedRecords appId. Prints one JSON line with the throughput.
 */
public final class PoolWindowJob {
  static final double GAMMA = (1 + 0.01) / (1 - 0.01);
  static final double LOG_GAMMA = Math.log(GAMMA);

  /** Aggregate: count, failures and sparse log buckets, serialized compactly. */
  static final class Agg {
    long count;
    long failed;
    java.util.TreeMap<Integer, Long> buckets = new java.util.TreeMap<>();

    void add(long durationMs, boolean fail) {
      count++;
      if (fail) failed++;
      int idx = (int) Math.ceil(Math.log(Math.max(1, durationMs)) / LOG_GAMMA);
      buckets.merge(idx, 1L, Long::sum);
    }

    byte[] toBytes() {
      ByteBuffer b = ByteBuffer.allocate(20 + buckets.size() * 12);
      b.putLong(count).putLong(failed).putInt(buckets.size());
      buckets.forEach((k, v) -> b.putInt(k).putLong(v));
      return b.array();
    }

    static Agg fromBytes(byte[] a) {
      Agg g = new Agg();
      if (a == null) return g;
      ByteBuffer b = ByteBuffer.wrap(a);
      g.count = b.getLong();
      g.failed = b.getLong();
      int n = b.getInt();
      for (int i = 0; i < n; i++) g.buckets.put(b.getInt(), b.getLong());
      return g;
    }
  }

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String topic = args[1];
    Schema schema = new Schema.Parser().parse(new File(args[2]));
    long expected = Long.parseLong(args[3]);
    String appId = args[4];
    BinaryMessageDecoder<GenericRecord> decoder = new BinaryMessageDecoder<>(GenericData.get(), schema);

    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    p.put(StreamsConfig.STATE_DIR_CONFIG, System.getProperty("java.io.tmpdir") + "/pulse-kstreams-" + appId);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
    p.put("consumer.auto.offset.reset", "earliest");
    // Producers set the record timestamp to the event time, so the default extractor gives event time.
    TimestampExtractor eventTime = (rec, prev) -> rec.timestamp();

    AtomicLong seen = new AtomicLong();
    AtomicLong firstNs = new AtomicLong();
    CountDownLatch done = new CountDownLatch(1);
    Serde<byte[]> bytes = Serdes.ByteArray();
    StreamsBuilder sb = new StreamsBuilder();
    sb.stream(topic, Consumed.with(Serdes.ByteArray(), bytes).withTimestampExtractor(eventTime))
        .peek((k, v) -> {
          firstNs.compareAndSet(0, System.nanoTime());
          if (seen.incrementAndGet() == expected) done.countDown();
        })
        .flatMapValues(v -> {
          try {
            GenericRecord r = decoder.decode(v);
            if (!"FINISHED".equals(r.get("type").toString())) return java.util.List.of();
            Object d = r.get("duration_ms");
            Object s = r.get("status");
            long dur = d == null ? 0L : (Long) d;
            boolean fail = s != null && !"PASSED".equals(s.toString());
            ByteBuffer val = ByteBuffer.allocate(9).putLong(dur).put((byte) (fail ? 1 : 0));
            return java.util.List.of(val.array());
          } catch (Exception e) {
            return java.util.List.of();
          }
        })
        .groupByKey(Grouped.with(bytes, bytes))
        .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMinutes(1), Duration.ofMinutes(5)))
        .aggregate(
            () -> new Agg().toBytes(),
            (k, v, aggBytes) -> {
              Agg a = Agg.fromBytes(aggBytes);
              ByteBuffer b = ByteBuffer.wrap(v);
              a.add(b.getLong(), b.get() == 1);
              return a.toBytes();
            },
            Materialized.with(bytes, bytes));

    KafkaStreams streams = new KafkaStreams(sb.build(), p);
    long t0 = System.nanoTime();
    streams.start();
    boolean ok = done.await(600, java.util.concurrent.TimeUnit.SECONDS);
    long end = System.nanoTime();
    streams.close(Duration.ofSeconds(10));
    double secs = (end - firstNs.get()) / 1e9;
    System.out.printf(
        "{\"ok\":%s,\"records\":%d,\"seconds\":%.3f,\"eventsPerSec\":%.1f,\"startupSeconds\":%.3f}%n",
        ok, seen.get(), secs, seen.get() / secs, (firstNs.get() - t0) / 1e9);
    System.exit(ok ? 0 : 1);
  }
}
