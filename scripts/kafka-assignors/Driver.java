import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.common.TopicPartition;
import java.io.*;
import java.util.*;

// Runs Kafka's own assignors (RangeAssignor, RoundRobinAssignor, CooperativeStickyAssignor) over
// the cases on standard input and prints what they assign: the expected side of
// tests/fixtures/kafka_assignors/. See run.sh.
//
// A case: "A range|roundrobin|sticky", "T n0 n1 ..." (partitions of topics t0, t1, ...), one
// "M id generation topics owned [instance]" line per member in the coordinator's order (topics: a
// comma list of topic numbers or "-"; owned: a comma list of topic:partition or "-"; generation -1
// for none), then "E". The output: "member: t:p t:p" per member in id order, each list in Kafka's
// order, then "X" and, for the sticky assignor, partitionsTransferringOwnership; "GENERAL" when the
// sticky assignor takes its general-case path; "EXC message" when Kafka throws.
public class Driver {
    static String topic(int i) { return "t" + i; }
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        String line; String kind = null; Map<String, Integer> parts = null;
        Map<String, Subscription> subs = null;
        while ((line = in.readLine()) != null) {
            String[] f = line.trim().split(" ");
            switch (f[0]) {
                case "A": kind = f[1]; parts = new HashMap<>(); subs = new HashMap<>(); break;
                case "T": for (int i = 1; i < f.length; i++) parts.put(topic(i - 1), Integer.parseInt(f[i])); break;
                case "M": {
                    List<String> topics = new ArrayList<>();
                    if (!f[3].equals("-")) for (String t : f[3].split(",")) topics.add(topic(Integer.parseInt(t)));
                    List<TopicPartition> owned = new ArrayList<>();
                    if (!f[4].equals("-")) for (String tp : f[4].split(",")) {
                        String[] x = tp.split(":");
                        owned.add(new TopicPartition(topic(Integer.parseInt(x[0])), Integer.parseInt(x[1])));
                    }
                    Subscription s = new Subscription(topics, null, owned, Integer.parseInt(f[2]), Optional.empty());
                    if (f.length > 5) s.setGroupInstanceId(Optional.of(f[5]));
                    subs.put(f[1], s);
                    break;
                }
                case "E": try { run(kind, parts, subs); } catch (RuntimeException e) { System.out.println("EXC " + e.getMessage()); } break;
            }
        }
    }
    static void run(String kind, Map<String, Integer> parts, Map<String, Subscription> subs) {
        // The leader only passes subscribed topics with partitions.
        Set<String> subscribed = new HashSet<>();
        for (Subscription s : subs.values()) subscribed.addAll(s.topics());
        Map<String, Integer> ppt = new HashMap<>();
        for (String t : subscribed) if (parts.getOrDefault(t, 0) > 0) ppt.put(t, parts.get(t));
        Map<String, List<TopicPartition>> a;
        String transfers = "";
        if (kind.equals("range")) a = new RangeAssignor().assign(ppt, subs);
        else if (kind.equals("roundrobin")) a = new RoundRobinAssignor().assign(ppt, subs);
        else {
            CooperativeStickyAssignor c = new CooperativeStickyAssignor();
            a = c.assign(ppt, subs);
            Map<TopicPartition, String> tr = c.partitionsTransferringOwnership();
            if (tr == null) { System.out.println("GENERAL"); return; }
            TreeMap<String, String> sorted = new TreeMap<>();
            for (Map.Entry<TopicPartition, String> e : tr.entrySet()) sorted.put(e.getKey().topic().substring(1) + ":" + e.getKey().partition(), e.getValue());
            transfers = sorted.toString();
        }
        for (String m : new TreeSet<>(a.keySet())) {
            StringBuilder sb = new StringBuilder(m + ":");
            for (TopicPartition tp : a.get(m)) sb.append(" ").append(tp.topic().substring(1)).append(":").append(tp.partition());
            System.out.println(sb);
        }
        System.out.println("X " + transfers);
    }
}
