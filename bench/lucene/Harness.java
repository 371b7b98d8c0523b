// The Lucene peer of the relevance benchmark: BM25 over Nori (Korean) / EnglishAnalyzer fields.
//
//   java -cp <lucene jars>:<classes> Harness build <index dir> < docs.tsv
//   java -cp <lucene jars>:<classes> Harness search <index dir> <top k> <k1,b> [<k1,b> ...]
//
// docs.tsv: a header "id<TAB>field..." naming one field per locale (ko, en), then one line per
// document with its text per field (tabs and line breaks already turned into spaces). The field
// named "ko" is analysed with KoreanAnalyzer() (Elasticsearch's "nori" analyzer: decompound
// DISCARD, default stop tags), any other with EnglishAnalyzer() ("english": Porter stemming).
// search reads one "locale<TAB>query" per stdin line and writes, per query, one line per "k1,b"
// setting: the top-k document ids separated by tabs. The query is analysed with the field's
// analyzer through QueryBuilder (what an Elasticsearch "match" query with operator OR builds)
// and run on the field of its locale; only when the index has no such field, on every field
// (summed as SHOULD clauses, "multi_match" most_fields).
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.ko.KoreanAnalyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.QueryBuilder;

public final class Harness {
  private Harness() {}

  static Analyzer analyzerFor(String field) {
    return field.equals("ko") ? new KoreanAnalyzer() : new EnglishAnalyzer();
  }

  static BufferedReader stdin() {
    return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
  }

  static void build(String dir) throws Exception {
    BufferedReader in = stdin();
    String[] header = in.readLine().split("\t", -1);
    Map<String, Analyzer> perField = new HashMap<>();
    for (int i = 1; i < header.length; i++) perField.put(header[i], analyzerFor(header[i]));
    Analyzer analyzer = new PerFieldAnalyzerWrapper(new EnglishAnalyzer(), perField);
    IndexWriterConfig config = new IndexWriterConfig(analyzer);
    config.setSimilarity(new BM25Similarity()); // norms do not depend on k1 and b
    config.setRAMBufferSizeMB(256);
    config.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
    try (IndexWriter writer = new IndexWriter(FSDirectory.open(Paths.get(dir)), config)) {
      String line;
      while ((line = in.readLine()) != null) {
        String[] cells = line.split("\t", -1);
        Document doc = new Document();
        doc.add(new StoredField("id", cells[0]));
        for (int i = 1; i < header.length; i++) {
          if (!cells[i].isEmpty()) doc.add(new TextField(header[i], cells[i], Field.Store.NO));
        }
        writer.addDocument(doc);
      }
      writer.forceMerge(1); // one segment: ties break by insertion order
    }
  }

  static void search(String dir, int topK, String[] settings) throws Exception {
    DirectoryReader reader = DirectoryReader.open(FSDirectory.open(Paths.get(dir)));
    List<String> fields = new ArrayList<>();
    reader.leaves().forEach(leaf -> leaf.reader().getFieldInfos().forEach(info -> {
      if (!info.name.equals("id") && !fields.contains(info.name)) fields.add(info.name);
    }));
    fields.sort(null);
    List<QueryBuilder> builders = new ArrayList<>();
    for (String field : fields) builders.add(new QueryBuilder(analyzerFor(field)));
    List<IndexSearcher> searchers = new ArrayList<>();
    for (String setting : settings) {
      String[] kb = setting.split(",");
      IndexSearcher searcher = new IndexSearcher(reader);
      searcher.setSimilarity(
          new BM25Similarity(Float.parseFloat(kb[0]), Float.parseFloat(kb[1])));
      searchers.add(searcher);
    }
    PrintWriter out =
        new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), false);
    BufferedReader in = stdin();
    String line;
    while ((line = in.readLine()) != null) {
      String[] request = line.split("\t", 2);
      String text = request.length > 1 ? request[1] : "";
      boolean own = fields.contains(request[0]);
      BooleanQuery.Builder query = new BooleanQuery.Builder();
      for (int i = 0; i < fields.size(); i++) {
        if (own && !fields.get(i).equals(request[0])) continue;
        Query q = builders.get(i).createBooleanQuery(fields.get(i), text, BooleanClause.Occur.SHOULD);
        if (q != null) query.add(q, BooleanClause.Occur.SHOULD);
      }
      BooleanQuery built = query.build();
      for (IndexSearcher searcher : searchers) {
        StringBuilder ids = new StringBuilder();
        if (!built.clauses().isEmpty()) {
          for (ScoreDoc hit : searcher.search(built, topK).scoreDocs) {
            if (ids.length() > 0) ids.append('\t');
            ids.append(reader.document(hit.doc).get("id"));
          }
        }
        out.println(ids);
      }
      out.flush();
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length >= 2 && args[0].equals("build")) {
      build(args[1]);
    } else if (args.length >= 4 && args[0].equals("search")) {
      String[] settings = new String[args.length - 3];
      System.arraycopy(args, 3, settings, 0, settings.length);
      search(args[1], Integer.parseInt(args[2]), settings);
    } else {
      System.err.println("usage: Harness build <dir> < docs.tsv | search <dir> <k> <k1,b>...");
      System.exit(2);
    }
  }
}
